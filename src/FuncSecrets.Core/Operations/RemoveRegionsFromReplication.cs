using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class RemoveRegionsFromReplicationRequest
{
    public string? SecretId { get; init; }
    public List<string>? RemoveReplicaRegions { get; init; }
}

public sealed class RemoveRegionsFromReplicationResponse
{
    public string? ARN { get; init; }
    public List<ReplicationStatus>? ReplicationStatus { get; init; }
}

/// <summary>
/// RemoveRegionsFromReplication: this service lives in one region, so replication is refused with a clear
/// InvalidRequestException after the usual name, existence and permission checks.
/// </summary>
public sealed class RemoveRegionsFromReplicationHandler(OperationDependencies deps) : IOperation<RemoveRegionsFromReplicationRequest, RemoveRegionsFromReplicationResponse>
{
    private readonly SecretAccess _access = new(deps);

    public async Task<RemoveRegionsFromReplicationResponse> ExecuteAsync(RemoveRegionsFromReplicationRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        await _access.LoadAsync(request.SecretId, context.Operation, context, cancellationToken);
        throw AwsErrors.ReplicationNotSupported();
    }
}
