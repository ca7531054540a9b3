using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;

namespace FuncSecrets.Core.Services;

/// <summary>
/// Makes new versions (seals a payload for one secret ARN and version id) and answers the
/// idempotency question a repeated ClientRequestToken asks.
/// </summary>
public sealed class VersionFactory(OperationDependencies deps)
{
    public async Task<StoredVersion> SealAsync(SecretRecord record, string versionId, byte[] payload, DateTimeOffset created, CancellationToken cancellationToken)
    {
        var sealedValue = await deps.Cipher.SealAsync(record.KmsKeyId, payload, record.Arn(deps.Options), versionId, cancellationToken);
        return new StoredVersion { VersionId = versionId, CreatedDate = created, Value = sealedValue };
    }

    /// <summary>
    /// For a token that already names a version of <paramref name="record"/>: true when that
    /// version holds the same value (the call is a retry and changes nothing); throws
    /// ResourceExistsException (AWS's "You can't use ClientRequestToken ...") when the value differs.
    /// </summary>
    public async Task<bool> IsRetryAsync(SecretRecord record, string versionId, byte[]? payload, CancellationToken cancellationToken)
    {
        if (!record.Versions.ContainsKey(versionId))
        {
            return false;
        }

        // RotateSecret announces the new version (AWSPENDING, no value yet) before the rotation
        // function's createSecret fills it with PutSecretValue, as AWS does: that put is a write.
        if (versionId != record.CurrentVersionId
            && (await deps.Store.GetVersionAsync(record.Name, versionId, cancellationToken))?.Value is null)
        {
            return false;
        }

        if (payload is null || !await HoldsValueAsync(record, versionId, payload, cancellationToken))
        {
            throw AwsErrors.TokenInUse(versionId, record.Arn(deps.Options));
        }

        return true;
    }

    /// <summary>True when version <paramref name="versionId"/> holds exactly <paramref name="payload"/>.</summary>
    public async Task<bool> HoldsValueAsync(SecretRecord record, string versionId, byte[] payload, CancellationToken cancellationToken)
    {
        var existing = await OpenAsync(record, versionId, cancellationToken);
        try
        {
            return SecretPayload.SameValue(existing, payload);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(existing);
        }
    }

    /// <summary>Opens one version's payload, using the AWSCURRENT copy when it is that version.</summary>
    public async Task<byte[]> OpenAsync(SecretRecord record, string versionId, CancellationToken cancellationToken)
    {
        var sealedValue = versionId == record.CurrentVersionId && record.CurrentValue is not null
            ? record.CurrentValue
            : (await deps.Store.GetVersionAsync(record.Name, versionId, cancellationToken))?.Value;
        if (sealedValue is null)
        {
            throw AwsErrors.ValueNotFoundForVersion(versionId);
        }

        return await deps.Cipher.OpenAsync(sealedValue, record.Arn(deps.Options), versionId, cancellationToken);
    }

    /// <summary>
    /// After labels moved: refreshes the AWSCURRENT copy in the metadata row. <paramref name="added"/>
    /// holds versions written in the same change, whose rows are not stored yet.
    /// </summary>
    public async Task RefreshCurrentAsync(SecretRecord record, string? previousCurrentId, IReadOnlyList<StoredVersion> added, CancellationToken cancellationToken)
    {
        var currentId = record.CurrentVersionId;
        if (currentId == previousCurrentId && (currentId is null || record.CurrentValue is not null))
        {
            return;
        }

        if (currentId is null)
        {
            record.CurrentValue = null;
            return;
        }

        var fresh = added.FirstOrDefault(v => v.VersionId == currentId);
        if (fresh is not null)
        {
            record.CurrentValue = fresh.Value;
            return;
        }

        var stored = await deps.Store.GetVersionAsync(record.Name, currentId, cancellationToken);
        record.CurrentValue = stored?.Value ?? throw AwsErrors.Internal();
    }
}
