using FuncSecrets.Core.Errors;
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
/// ReplicateSecretToRegions: this service lives in one region, so replication is refused with a clear
/// InvalidRequestException after the usual name, existence and permission checks.
/// </summary>
public sealed class ReplicateSecretToRegionsHandler(OperationDependencies deps) : IOperation<ReplicateSecretToRegionsRequest, ReplicateSecretToRegionsResponse>
{
    private readonly SecretAccess _access = new(deps);

    public async Task<ReplicateSecretToRegionsResponse> ExecuteAsync(ReplicateSecretToRegionsRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        await _access.LoadAsync(request.SecretId, context.Operation, context, cancellationToken);
        throw AwsErrors.ReplicationNotSupported();
    }
}
