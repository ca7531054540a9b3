using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Operations;

namespace FuncSecrets.Core.Services;

/// <summary>
/// The value read GetSecretValue and BatchGetSecretValue share: picks the version by id and/or
/// stage (AWSCURRENT by default), opens it, records the access. A secret scheduled for deletion
/// refuses. Callers authorize first.
/// </summary>
public sealed class SecretValueReader(OperationDependencies deps, AccessRecorder accessRecorder)
{
    private readonly VersionValues _versions = new(deps);

    /// <summary>Reads one value of an already authorized secret.</summary>
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
