using FuncSecrets.Core.Model;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class DescribeSecretRequest
{
    public string? SecretId { get; init; }
}

public sealed class DescribeSecretResponse : SecretDescription
{
    public Dictionary<string, List<string>>? VersionIdsToStages { get; set; }
    public List<ReplicationStatus>? ReplicationStatus { get; set; }

    public static DescribeSecretResponse From(SecretRecord record, ServiceOptions options)
    {
        var response = new DescribeSecretResponse { VersionIdsToStages = StagesMap(record), ReplicationStatus = Operations.ReplicationStatus.ListOf(record.Replicas) };
        response.Fill(record, options);
        return response;
    }
}

/// <summary>DescribeSecret: the metadata of a secret, also while it is scheduled for deletion.</summary>
public sealed class DescribeSecretHandler(OperationDependencies deps) : IOperation<DescribeSecretRequest, DescribeSecretResponse>
{
    private readonly SecretAccess _access = new(deps);

    public async Task<DescribeSecretResponse> ExecuteAsync(DescribeSecretRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var record = await _access.LoadAsync(request.SecretId, context.Operation, context, cancellationToken);
        return DescribeSecretResponse.From(record, deps.Options);
    }
}
