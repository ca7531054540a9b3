using System.Security.Cryptography;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;

namespace FuncSecrets.Core.Services;

/// <summary>
/// The sealed values of a secret's versions: seals a payload for one secret ARN and version id,
/// opens a version (from the AWSCURRENT copy when it is that version), and tells what a repeated
/// ClientRequestToken names (<see cref="TokenMatch"/>), which the aggregate turns into a retry or
/// a refusal.
/// </summary>
public sealed class VersionValues(OperationDependencies deps)
{
    public async Task<StoredVersion> SealAsync(string arn, string? kmsKeyId, string versionId, byte[] payload, DateTimeOffset created, CancellationToken cancellationToken)
    {
        var sealedValue = await deps.Cipher.SealAsync(kmsKeyId, payload, arn, versionId, cancellationToken);
        return new StoredVersion { VersionId = versionId, CreatedDate = created, Value = sealedValue };
    }

    /// <summary>What <paramref name="versionId"/> names in <paramref name="secret"/>, compared with <paramref name="payload"/>.</summary>
    public async Task<TokenMatch> MatchTokenAsync(Secret secret, string versionId, byte[] payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (!secret.HasVersion(versionId))
        {
            return TokenMatch.Absent;
        }

        // RotateSecret announces the new version (AWSPENDING, no value yet) before the rotation
        // function's createSecret fills it with PutSecretValue, as AWS does: that put is a write.
        if (versionId != secret.CurrentVersionId
            && (await deps.Store.GetVersionAsync(secret.Name, versionId, cancellationToken))?.Value is null)
        {
            return TokenMatch.Unfilled;
        }

        var existing = await OpenAsync(secret.Name, secret.Arn, versionId, secret.CurrentVersionId, secret.CurrentValue, cancellationToken);
        try
        {
            return SecretPayload.SameValue(existing, payload) ? TokenMatch.SameValue : TokenMatch.OtherValue;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(existing);
        }
    }

    /// <summary>Opens one version's payload, using the AWSCURRENT copy when it is that version.</summary>
    public Task<byte[]> OpenAsync(SecretRecord record, string versionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return OpenAsync(record.Name, record.Arn(deps.Options), versionId, record.CurrentVersionId, record.CurrentValue, cancellationToken);
    }

    private async Task<byte[]> OpenAsync(string name, string arn, string versionId, string? currentVersionId, Crypto.SealedValue? currentCopy, CancellationToken cancellationToken)
    {
        var sealedValue = versionId == currentVersionId && currentCopy is not null
            ? currentCopy
            : (await deps.Store.GetVersionAsync(name, versionId, cancellationToken))?.Value;
        if (sealedValue is null)
        {
            throw AwsErrors.ValueNotFoundForVersion(versionId);
        }

        return await deps.Cipher.OpenAsync(sealedValue, arn, versionId, cancellationToken);
    }
}
