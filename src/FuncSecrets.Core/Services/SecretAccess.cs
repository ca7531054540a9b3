using FuncSecrets.Core.Auth;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;

namespace FuncSecrets.Core.Services;

/// <summary>
/// Finding a secret on behalf of a caller: locate it, then check the caller may perform the
/// action on it. A denial names the SecretId exactly as the caller gave it (never the stored
/// ARN with its random suffix), so a caller that may not act on a name gets the same answer
/// whether or not the secret exists (issue 11).
/// </summary>
public sealed class SecretAccess(OperationDependencies deps)
{
    public SecretLocator Locator { get; } = new(deps);

    /// <summary>Loads the secret for <paramref name="action"/> (e.g. "GetSecretValue").</summary>
    public Task<SecretRecord> LoadAsync(string? secretId, string action, RequestContext context, CancellationToken cancellationToken) =>
        LoadAsync(Locator.Parse(secretId), action, context, cancellationToken);

    /// <summary>Loads an already parsed SecretId for <paramref name="action"/>.</summary>
    public async Task<SecretRecord> LoadAsync(SecretLocator.SecretReference reference, string action, RequestContext context, CancellationToken cancellationToken) =>
        await FindAuthorizedAsync(reference, action, context, cancellationToken) ?? throw AwsErrors.SecretNotFound();

    /// <summary>
    /// The secret, or null when there is none and the caller may act on the name; throws
    /// AccessDeniedException (naming the SecretId as given) either way when it may not.
    /// </summary>
    public async Task<SecretRecord?> FindAuthorizedAsync(SecretLocator.SecretReference reference, string action, RequestContext context, CancellationToken cancellationToken)
    {
        var record = await Locator.FindAsync(reference, cancellationToken);
        if (record is null)
        {
            AuthorizeMissing(reference.Name, action, context, reference.Shown);
            return null;
        }

        Authorize(record, action, context, reference.Shown);
        return record;
    }

    public void Authorize(SecretRecord record, string action, RequestContext context, string shown) =>
        deps.Authorizer.Authorize(Request(record, action, context, shown));

    /// <summary>The denial for one secret, or null when the caller may act on it.</summary>
    public AwsException? Check(SecretRecord record, string action, RequestContext context, string shown) =>
        deps.Authorizer.Check(Request(record, action, context, shown));

    /// <summary>Authorizes an action on a name that has no secret (yet).</summary>
    public void AuthorizeMissing(string name, string action, RequestContext context, string shown) =>
        deps.Authorizer.Authorize(new AuthorizationRequest(
            context.Caller, "secretsmanager:" + action, SecretArn.Prefix(deps.Options) + name, null, null, context.SourceIp) { ShownResource = shown });

    /// <summary>Authorizes an action that names no secret (ListSecrets, GetRandomPassword).</summary>
    public void AuthorizeAccount(string action, RequestContext context) =>
        deps.Authorizer.Authorize(new AuthorizationRequest(context.Caller, "secretsmanager:" + action, "*", null, null, context.SourceIp));

    private AuthorizationRequest Request(SecretRecord record, string action, RequestContext context, string shown) =>
        new(context.Caller, "secretsmanager:" + action, record.Arn(deps.Options), record.ResourcePolicy, record.Tags, context.SourceIp) { ShownResource = shown };
}
