using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;

namespace FuncSecrets.Core.Services;

/// <summary>
/// Adds a new version to an existing secret: the part PutSecretValue, UpdateSecret and rotation
/// share. Seals once (re-sealing only if the ARN changed under a retry), moves the labels, trims
/// deprecated versions beyond the limit and keeps the AWSCURRENT copy in step.
/// </summary>
public sealed class ValueWriter(OperationDependencies deps)
{
    private readonly VersionFactory _versions = new(deps);
    private StoredVersion? _sealed;
    private string? _sealedArn;

    /// <summary>
    /// Applies the new version to <paramref name="record"/> (a copy being changed) and returns the
    /// rows to write, or null when the token names an existing version with the same value.
    /// </summary>
    public async Task<SecretChange?> AddVersionAsync(SecretRecord record, string versionId, byte[] payload, IReadOnlyList<string> stages, CancellationToken cancellationToken)
    {
        if (await _versions.IsRetryAsync(record, versionId, payload, cancellationToken))
        {
            return null;
        }

        var arn = record.Arn(deps.Options);
        var now = deps.Now();
        if (_sealed is null || _sealedArn != arn)
        {
            _sealed = await _versions.SealAsync(record, versionId, payload, now, cancellationToken);
            _sealedArn = arn;
        }

        var previousCurrent = record.CurrentVersionId;
        record.Versions[versionId] = new VersionEntry { CreatedDate = _sealed.CreatedDate, Stages = [] };
        foreach (var stage in stages.Distinct(StringComparer.Ordinal))
        {
            StagingLabels.Attach(record, versionId, stage);
        }

        if (record.CurrentVersionId is null)
        {
            // The first version of a secret always gets AWSCURRENT.
            StagingLabels.Attach(record, versionId, StagingLabels.Current);
        }

        StagingLabels.RetireFormerCurrent(record, previousCurrent);

        var removed = StagingLabels.TrimDeprecated(record);
        if (removed.Contains(versionId, StringComparer.Ordinal))
        {
            throw AwsErrors.VersionLimitExceeded();
        }

        record.LastChangedDate = now;
        await _versions.RefreshCurrentAsync(record, previousCurrent, [_sealed], cancellationToken);
        return new SecretChange([_sealed], removed);
    }
}
