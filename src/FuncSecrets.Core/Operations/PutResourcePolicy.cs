using FuncSecrets.Core.Auth;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class PutResourcePolicyRequest
{
    public string? SecretId { get; init; }
    public string? ResourcePolicy { get; init; }
    public bool? BlockPublicPolicy { get; init; }
}

/// <summary>The ARN and Name that the resource-policy operations answer with.</summary>
public sealed class SecretIdentityResponse
{
    public string? ARN { get; init; }
    public string? Name { get; init; }
}

/// <summary>
/// PutResourcePolicy: attaches a resource-based policy, refused when malformed
/// (MalformedPolicyDocumentException) or, with BlockPublicPolicy, when it grants broad access
/// (PublicPolicyException).
/// </summary>
public sealed class PutResourcePolicyHandler(OperationDependencies deps) : IOperation<PutResourcePolicyRequest, SecretIdentityResponse>
{
    private readonly SecretAccess _access = new(deps);

    public async Task<SecretIdentityResponse> ExecuteAsync(PutResourcePolicyRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var reference = _access.Locator.Parse(request.SecretId);
        var policy = Validate.Required(request.ResourcePolicy, "resourcePolicy");
        Validate.Length(policy, "resourcePolicy", 1, Limits.ResourcePolicyMaxLength, showValue: false);
        PolicyValidator.ValidateForPut(policy, request.BlockPublicPolicy == true);

        var record = await new SecretChangeWriter(deps).UpdateAsync(reference, context, secret => secret.SetPolicy(policy), cancellationToken);

        return new SecretIdentityResponse { ARN = record.Arn(deps.Options), Name = record.Name };
    }
}
