using FuncSecrets.Core.Auth.Policy;
using FuncSecrets.Core.Errors;

namespace FuncSecrets.Core.Auth;

/// <summary>
/// IAM-style authorization (IAM User Guide, "Policy evaluation logic", same-account case): an
/// explicit Deny in the caller's identity policy or in the secret's resource policy wins;
/// otherwise an Allow from either grants; otherwise the request is implicitly denied. A resource
/// policy statement counts only when its <c>Principal</c> names the caller.
/// </summary>
public sealed class PolicyEvaluator : IAuthorizer
{
    // Actions that stay open to the identity policy when a stored resource policy cannot be
    // read, so an administrator can always replace or remove it.
    private static readonly HashSet<string> PolicyManagementActions = new(StringComparer.OrdinalIgnoreCase)
    {
        "secretsmanager:GetResourcePolicy", "secretsmanager:PutResourcePolicy", "secretsmanager:DeleteResourcePolicy",
    };

    private readonly AccessKeyStore _keys;

    public PolicyEvaluator(AccessKeyStore keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = keys;
    }

    public void Authorize(AuthorizationRequest request)
    {
        if (Check(request) is { } denial)
        {
            throw denial;
        }
    }

    /// <summary>
    /// Null when allowed (or when authentication is off and there is no caller); otherwise the
    /// <c>AccessDeniedException</c> AWS would send.
    /// </summary>
    public AwsException? Check(AuthorizationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Caller is not { } caller)
        {
            return null;
        }

        var context = BuildContext(caller, request);
        var shown = request.ShownResource ?? request.ResourceArn;

        // A caller whose key is not configured (any more) has no identity policy.
        var identity = _keys.Find(caller.AccessKeyId) is { } key
            ? PolicyEngine.Evaluate(key.IdentityPolicy, context, PolicyKind.Identity)
            : default;
        if (identity.Denied)
        {
            return AwsErrors.AccessDeniedIdentityDeny(caller.PrincipalArn, request.Action, shown);
        }

        var resource = default(PolicyVerdict);
        if (!string.IsNullOrWhiteSpace(request.ResourcePolicy))
        {
            if (PolicyParser.TryParse(request.ResourcePolicy, PolicyKind.Resource, out var document, out _))
            {
                resource = PolicyEngine.Evaluate(document!, context, PolicyKind.Resource);
            }
            else if (!PolicyManagementActions.Contains(request.Action))
            {
                // Stored policies were validated on the way in; one that no longer parses must
                // not silently lose its Deny statements.
                return AwsErrors.AccessDeniedResourceDeny(caller.PrincipalArn, request.Action, shown);
            }
        }

        if (resource.Denied)
        {
            return AwsErrors.AccessDeniedResourceDeny(caller.PrincipalArn, request.Action, shown);
        }

        return identity.Allowed || resource.Allowed
            ? null
            : AwsErrors.AccessDeniedNoAllow(caller.PrincipalArn, request.Action, shown);
    }

    private static PolicyContext BuildContext(CallerIdentity caller, AuthorizationRequest request)
    {
        var context = new PolicyContext(caller.PrincipalArn, request.Action, request.ResourceArn);
        if (!string.IsNullOrEmpty(request.SourceIp))
        {
            context.Add(PolicyContext.SourceIpKey, request.SourceIp);
        }

        if (request.ResourceArn != "*")
        {
            context.Add(PolicyContext.SecretIdKey, request.ResourceArn);
        }

        foreach (var tag in request.ResourceTags ?? [])
        {
            context.Add(PolicyContext.AwsResourceTagPrefix + tag.Key, tag.Value);
            context.Add(PolicyContext.ServiceResourceTagPrefix + tag.Key, tag.Value);
        }

        return context;
    }
}
