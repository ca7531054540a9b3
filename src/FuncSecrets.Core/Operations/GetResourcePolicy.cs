using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Replication;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class GetResourcePolicyRequest
{
    public string? SecretId { get; init; }
}

public sealed class GetResourcePolicyResponse
{
    public string? ARN { get; init; }
    public string? Name { get; init; }
    public string? ResourcePolicy { get; init; }
}

/// <summary>GetResourcePolicy: the policy JSON as it was stored; the member is absent when there is none.</summary>
public sealed class GetResourcePolicyHandler(OperationDependencies deps) : IOperation<GetResourcePolicyRequest, GetResourcePolicyResponse>
{
    private readonly SecretAccess _access = new(deps);

    public async Task<GetResourcePolicyResponse> ExecuteAsync(GetResourcePolicyRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var record = await _access.LoadAsync(request.SecretId, context.Operation, context, cancellationToken);
        ReplicaGuard.RefuseIfReplica(record); // moto's test_update_replica records the refusal
        if (record.IsDeleted)
        {
            throw AwsErrors.MarkedForDeletion();
        }

        return new GetResourcePolicyResponse { ARN = record.Arn(deps.Options), Name = record.Name, ResourcePolicy = record.ResourcePolicy };
    }
}
