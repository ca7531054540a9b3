using FuncSecrets.Core.Replication;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class ReplicateSecretToRegionsRequest
{
    public string? SecretId { get; init; }
    public List<ReplicaRegion>? AddReplicaRegions { get; init; }
    public bool? ForceOverwriteReplicaSecret { get; init; }
}

public sealed class ReplicateSecretToRegionsResponse
{
    public string? ARN { get; init; }
    public List<ReplicationStatus>? ReplicationStatus { get; init; }
}

/// <summary>
/// ReplicateSecretToRegions: adds replicas of a primary secret in peer Regions (issue 14). Each
/// replica is written straight into the peer's table, its values sealed under the peer's key (or
/// the KmsKeyId given for it); the answer shows each replica's status after that first attempt
/// (<c>InSync</c>, or <c>Failed</c> with the reason, in which case the replication job retries).
/// </summary>
public sealed class ReplicateSecretToRegionsHandler(OperationDependencies deps) : IOperation<ReplicateSecretToRegionsRequest, ReplicateSecretToRegionsResponse>
{
    private readonly SecretAccess _access = new(deps);

    public async Task<ReplicateSecretToRegionsResponse> ExecuteAsync(ReplicateSecretToRegionsRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var reference = _access.Locator.Parse(request.SecretId);
        ReplicaRegionRequest.CheckAdd(request.AddReplicaRegions);
        var force = request.ForceOverwriteReplicaSecret ?? false;
        var secret = await new SecretChangeWriter(deps).UpdateAsync(reference, context, secret =>
            secret.AddReplicas(ReplicaRegionRequest.Resolve(request.AddReplicaRegions!, deps.Peers, deps.Options.Region), force), cancellationToken);

        return new ReplicateSecretToRegionsResponse
        {
            ARN = secret.Arn(deps.Options),
            ReplicationStatus = ReplicationStatus.ListOf(secret.Replicas),
        };
    }
}
