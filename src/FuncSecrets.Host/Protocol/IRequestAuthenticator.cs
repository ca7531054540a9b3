using FuncSecrets.Core.Auth;

namespace FuncSecrets.Host.Protocol;

/// <summary>
/// Establishes who sent a request (SigV4). Throws an AWS auth error for a request that is not
/// correctly signed by a configured key.
/// </summary>
public interface IRequestAuthenticator
{
    /// <summary>The caller, or null when authentication is switched off.</summary>
    Task<CallerIdentity?> AuthenticateAsync(HttpContext context, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}

/// <summary>Used only when <c>FuncSecrets:Auth:Enabled</c> is false: every caller is anonymous.</summary>
public sealed class NoAuthentication : IRequestAuthenticator
{
    public Task<CallerIdentity?> AuthenticateAsync(HttpContext context, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        Task.FromResult<CallerIdentity?>(null);
}
