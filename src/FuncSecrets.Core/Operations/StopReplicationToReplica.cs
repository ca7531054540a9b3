using FuncSecrets.Core.Errors;
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
/// StopReplicationToReplica: this service lives in one region, so replication is refused with a clear
/// InvalidRequestException after the usual name, existence and permission checks.
/// </summary>
public sealed class StopReplicationToReplicaHandler(OperationDependencies deps) : IOperation<StopReplicationToReplicaRequest, StopReplicationToReplicaResponse>
{
    private readonly SecretAccess _access = new(deps);

    public async Task<StopReplicationToReplicaResponse> ExecuteAsync(StopReplicationToReplicaRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        await _access.LoadAsync(request.SecretId, context.Operation, context, cancellationToken);
        throw AwsErrors.ReplicationNotSupported();
    }
}
