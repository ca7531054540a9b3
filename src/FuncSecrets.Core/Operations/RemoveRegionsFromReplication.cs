using FuncSecrets.Core.Replication;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class RemoveRegionsFromReplicationRequest
{
    public string? SecretId { get; init; }
    public List<string?>? RemoveReplicaRegions { get; init; }
}

public sealed class RemoveRegionsFromReplicationResponse
{
    public string? ARN { get; init; }
    public List<ReplicationStatus>? ReplicationStatus { get; init; }
}

/// <summary>
/// RemoveRegionsFromReplication: deletes the replicas in the given Regions and forgets them
/// (issue 14). Regions without a replica are ignored, so the call can be repeated. The replica
/// rows go right after the primary's write; a Region that does not answer then is cleaned up
/// by the replication job.
/// </summary>
public sealed class RemoveRegionsFromReplicationHandler(OperationDependencies deps) : IOperation<RemoveRegionsFromReplicationRequest, RemoveRegionsFromReplicationResponse>
{
    private readonly SecretAccess _access = new(deps);

    public async Task<RemoveRegionsFromReplicationResponse> ExecuteAsync(RemoveRegionsFromReplicationRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var reference = _access.Locator.Parse(request.SecretId);
        var regions = ReplicaRegionRequest.ValidateRemove(request.RemoveReplicaRegions!);
        var secret = await new SecretChangeWriter(deps).UpdateAsync(reference, context, secret => secret.RemoveReplicas(regions), cancellationToken);

        return new RemoveRegionsFromReplicationResponse
        {
            ARN = secret.Arn(deps.Options),
            ReplicationStatus = ReplicationStatus.ListOf(secret.Replicas) ?? [],
        };
    }
}
