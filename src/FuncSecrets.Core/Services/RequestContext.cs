using FuncSecrets.Core.Auth;

namespace FuncSecrets.Core.Services;

/// <summary>What an operation knows about the call it serves, with no HTTP in it.</summary>
public sealed class RequestContext
{
    public required string RequestId { get; init; }

    /// <summary>The authenticated caller; null only where authentication is switched off.</summary>
    public CallerIdentity? Caller { get; init; }

    public string? SourceIp { get; init; }

    public string? UserAgent { get; init; }

    /// <summary>The operation name, e.g. <c>GetSecretValue</c>.</summary>
    public required string Operation { get; init; }
}
