using FuncSecrets.Core.Auth;

namespace FuncSecrets.Host.Protocol.Auth;

/// <summary>
/// <see cref="IRequestAuthenticator"/> over <see cref="SigV4Verifier"/>: adapts the request and
/// verifies its signature, throwing the AWS auth error for a request that fails.
/// </summary>
public sealed class SigV4Authenticator : IRequestAuthenticator
{
    private readonly SigV4Verifier _verifier;
    private readonly ForwardedHostOptions _forwarding;

    public SigV4Authenticator(SigV4Verifier verifier, ForwardedHostOptions forwarding)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(forwarding);
        _verifier = verifier;
        _forwarding = forwarding;
    }

    public Task<CallerIdentity?> AuthenticateAsync(HttpContext context, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = SignedRequestReader.FromHttpRequest(context.Request, body.Span, _forwarding);
        return _verifier.VerifyAsync(request, cancellationToken);
    }
}
