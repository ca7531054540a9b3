using FuncSecrets.Core.Model;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class DescribeSecretRequest
{
    public string? SecretId { get; init; }
}

public sealed class DescribeSecretResponse : SecretDescription
{
    public Dictionary<string, List<string>>? VersionIdsToStages { get; init; }
    public List<ReplicationStatus>? ReplicationStatus { get; init; }
}

/// <summary>DescribeSecret: the metadata of a secret, also while it is scheduled for deletion.</summary>
public sealed class DescribeSecretHandler(OperationDependencies deps) : IOperation<DescribeSecretRequest, DescribeSecretResponse>
{
    private readonly SecretAccess _access = new(deps);

    public async Task<DescribeSecretResponse> ExecuteAsync(DescribeSecretRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var record = await _access.LoadAsync(request.SecretId, "DescribeSecret", context, cancellationToken);
        return Describe(record, deps.Options);
    }

    public static DescribeSecretResponse Describe(SecretRecord record, ServiceOptions options) => new()
    {
        ARN = record.Arn(options),
        Name = record.Name,
        Description = record.Description,
        KmsKeyId = record.KmsKeyId,
        RotationEnabled = record.RotationEnabled,
        RotationLambdaARN = record.RotationLambdaArn,
        RotationRules = RotationRulesShape.From(record.RotationRules),
        LastRotatedDate = record.LastRotatedDate,
        LastChangedDate = record.LastChangedDate,
        LastAccessedDate = record.LastAccessedDate,
        DeletedDate = record.DeletedDate,
        NextRotationDate = record.RotationEnabled == true ? record.NextRotationDate : null,
        Tags = record.Tags?.ToList(),
        CreatedDate = record.CreatedDate,
        VersionIdsToStages = record.Versions.Count == 0 ? null : StagesMap(record),
    };

    /// <summary>Version id → labels (sorted, as AWS sends them), for the versions that have labels.</summary>
    public static Dictionary<string, List<string>> StagesMap(SecretRecord record) =>
        record.Versions
            .Where(p => p.Value.Stages.Count > 0)
            .ToDictionary(p => p.Key, p => StagingLabels.Sorted(p.Value.Stages), StringComparer.Ordinal);
}
