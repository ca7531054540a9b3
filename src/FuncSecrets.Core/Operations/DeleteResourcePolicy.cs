using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class DeleteResourcePolicyRequest
{
    public string? SecretId { get; init; }
}

/// <summary>DeleteResourcePolicy: removes the resource-based policy (a secret without one is left as it is).</summary>
public sealed class DeleteResourcePolicyHandler(OperationDependencies deps) : IOperation<DeleteResourcePolicyRequest, SecretIdentityResponse>
{
    private readonly SecretAccess _access = new(deps);

    public async Task<SecretIdentityResponse> ExecuteAsync(DeleteResourcePolicyRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var reference = _access.Locator.Parse(request.SecretId);
        var record = await new SecretChangeWriter(deps).UpdateAsync(reference, context, secret => secret.DeletePolicy(), cancellationToken);

        return new SecretIdentityResponse { ARN = record.Arn(deps.Options), Name = record.Name };
    }
}
