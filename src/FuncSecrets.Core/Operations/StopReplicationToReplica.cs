using FuncSecrets.Core.Replication;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class StopReplicationToReplicaRequest
{
    public string? SecretId { get; init; }
}

public sealed class StopReplicationToReplicaResponse
{
    public string? ARN { get; init; }
}

/// <summary>
/// StopReplicationToReplica, called in the replica's Region: promotes the replica to a
/// standalone secret there, with its values, labels, tags and description (issue 14). Answers
/// the replica's ARN. Works while the primary's Region is unreachable.
/// </summary>
public sealed class StopReplicationToReplicaHandler(OperationDependencies deps) : IOperation<StopReplicationToReplicaRequest, StopReplicationToReplicaResponse>
{
    private readonly SecretAccess _access = new(deps);

    public async Task<StopReplicationToReplicaResponse> ExecuteAsync(StopReplicationToReplicaRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var reference = _access.Locator.Parse(request.SecretId);
        var promoted = await new ReplicaPromotion(deps).PromoteAsync(reference, context, cancellationToken);
        return new StopReplicationToReplicaResponse { ARN = promoted.Arn(deps.Options) };
    }
}
