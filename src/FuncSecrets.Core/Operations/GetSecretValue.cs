using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class GetSecretValueRequest
{
    public string? SecretId { get; init; }
    public string? VersionId { get; init; }
    public string? VersionStage { get; init; }
}

public sealed class GetSecretValueResponse
{
    public string? ARN { get; init; }
    public string? Name { get; init; }
    public string? VersionId { get; init; }
    public byte[]? SecretBinary { get; init; }
    public string? SecretString { get; init; }
    public List<string>? VersionStages { get; init; }
    public DateTimeOffset? CreatedDate { get; init; }
}

/// <summary>
/// GetSecretValue: the value of the version named by VersionId or VersionStage (AWSCURRENT by
/// default). AWSCURRENT is served from the metadata row's copy: one storage read.
/// </summary>
public sealed class GetSecretValueHandler(OperationDependencies deps, AccessRecorder accessRecorder) : IOperation<GetSecretValueRequest, GetSecretValueResponse>
{
    private readonly SecretAccess _access = new(deps);
    private readonly VersionFactory _versions = new(deps);

    public async Task<GetSecretValueResponse> ExecuteAsync(GetSecretValueRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var reference = _access.Locator.Parse(request.SecretId);
        Validate.Token(request.VersionId, "versionId");
        Validate.Length(request.VersionStage, "versionStage", 1, Limits.StageMaxLength);
        var record = await _access.LoadAsync(reference, "GetSecretValue", context, cancellationToken);
        return await ReadAsync(record, request.VersionId, request.VersionStage, cancellationToken);
    }

    /// <summary>Reads one value of an already authorized secret (also used by BatchGetSecretValue).</summary>
    public async Task<GetSecretValueResponse> ReadAsync(SecretRecord record, string? versionId, string? versionStage, CancellationToken cancellationToken)
    {
        if (record.IsDeleted)
        {
            throw AwsErrors.MarkedForDeletion();
        }

        string id;
        if (versionId is not null)
        {
            if (!record.Versions.TryGetValue(versionId, out var entry))
            {
                throw AwsErrors.ValueNotFoundForVersion(versionId);
            }

            if (versionStage is not null && !entry.Stages.Contains(versionStage, StringComparer.Ordinal))
            {
                throw AwsErrors.VersionStageMismatch();
            }

            id = versionId;
        }
        else
        {
            var stage = versionStage ?? StagingLabels.Current;
            id = StagingLabels.FindVersion(record, stage) ?? throw AwsErrors.ValueNotFoundForStage(stage);
        }

        var payload = await _versions.OpenAsync(record, id, cancellationToken);
        try
        {
            var (text, binary) = SecretPayload.Read(payload);
            await accessRecorder.RecordAsync(record, id, cancellationToken);
            var version = record.Versions[id];
            return new GetSecretValueResponse
            {
                ARN = record.Arn(deps.Options),
                Name = record.Name,
                VersionId = id,
                SecretString = text,
                SecretBinary = binary,
                VersionStages = StagingLabels.Sorted(version.Stages),
                CreatedDate = version.CreatedDate,
            };
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(payload);
        }
    }
}
