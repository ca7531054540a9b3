using FuncSecrets.Core.Model;

namespace FuncSecrets.Core.Auth;

/// <summary>
/// Decides whether a caller may perform an action on a resource: the caller's identity policy
/// together with the secret's resource policy (explicit deny wins; otherwise an allow from
/// either grants).
/// </summary>
public interface IAuthorizer
{
    /// <summary>
    /// Throws <c>AccessDeniedException</c> (AWS's message form) when the call is not allowed.
    /// <c>Action</c> is e.g. <c>secretsmanager:GetSecretValue</c>;
    /// <c>ResourceArn</c> is the secret ARN, or <c>*</c> for account-level actions
    /// (ListSecrets, GetRandomPassword, BatchGetSecretValue's own call).
    /// </summary>
    void Authorize(AuthorizationRequest request);

    /// <summary>Like <see cref="Authorize"/> but returns the denial instead of throwing.</summary>
    Errors.AwsException? Check(AuthorizationRequest request);
}

/// <summary>Everything a policy decision looks at.</summary>
public sealed record AuthorizationRequest(
    CallerIdentity? Caller,
    string Action,
    string ResourceArn,
    string? ResourcePolicy,
    IReadOnlyList<Tag>? ResourceTags,
    string? SourceIp)
{
    /// <summary>
    /// The resource a denial names: the SecretId exactly as the caller gave it (AWS authorizes
    /// before it looks the secret up); null names <see cref="ResourceArn"/>.
    /// </summary>
    public string? ShownResource { get; init; }
}
