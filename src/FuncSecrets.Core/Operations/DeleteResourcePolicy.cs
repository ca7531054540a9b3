using FuncSecrets.Core.Errors;
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
        var record = await new SecretWriter(deps).UpdateAsync(reference, context.Operation, context, (secret, _) =>
        {
            if (secret.IsDeleted)
            {
                throw AwsErrors.MarkedForDeletion();
            }

            if (secret.ResourcePolicy is null)
            {
                return ValueTask.FromResult<SecretChange?>(null);
            }

            secret.ResourcePolicy = null;
            return ValueTask.FromResult<SecretChange?>(SecretChange.MetadataOnly);
        }, cancellationToken);

        return new SecretIdentityResponse { ARN = record.Arn(deps.Options), Name = record.Name };
    }
}
