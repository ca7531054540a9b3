using System.Security.Cryptography;
using FuncSecrets.Core.Crypto;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Storage;

namespace FuncSecrets.Core.Replication;

/// <summary>
/// Brings one secret's replica in one peer Region in step with the primary: reads the replica,
/// then the primary, opens each version the replica lacks and seals it again under the peer's key
/// (the associated data is the replica's own ARN, so the peer opens it as it opens its own rows),
/// and writes the replica's rows into the peer's table conditional on the replica's ETag.
/// <para>
/// Reading the replica before the primary makes concurrent synchronisers safe: a successful write
/// was conditional on a replica ETag read after the previous successful write, and its primary
/// read came after that, so the replica never goes back to an older state of the primary.
/// </para>
/// </summary>
public sealed class ReplicaSynchroniser(ISecretStore primaryStore, ISecretCipher primaryCipher, ServiceOptions options)
{
    /// <summary>Rows per peer transaction, under the Table service's limit of 100 with the metadata row.</summary>
    private const int RowsPerChange = 90;

    private const int MaxAttempts = 5;

    /// <summary>
    /// Synchronises <paramref name="name"/> into <paramref name="peer"/>: creates, updates or (when
    /// the primary no longer lists the peer's Region) deletes our replica there. Never throws for a
    /// peer failure: the outcome says what happened.
    /// </summary>
    public async Task<SyncOutcome> SyncAsync(string name, ReplicationPeer peer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peer);
        try
        {
            for (var attempt = 1; attempt <= MaxAttempts; attempt++)
            {
                var outcome = await TrySyncAsync(name, peer, cancellationToken);
                if (outcome is not null)
                {
                    return outcome;
                }
            }

            return SyncOutcome.Transient("Replication failed: the replica kept changing while it was written. Secrets Manager retries.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (AwsException error) when (error.Code is AwsErrorCodes.EncryptionFailure or AwsErrorCodes.InvalidParameter)
        {
            return SyncOutcome.Transient($"Replication failed: the KMS key of Region {peer.Region} could not encrypt the secret.");
        }
        catch (AwsException error) when (error.Code == AwsErrorCodes.DecryptionFailure)
        {
            return SyncOutcome.Transient("Replication failed: the primary secret could not be decrypted.");
        }
        catch (Exception)
        {
            // Storage of either Region unreachable (ServiceUnavailable), or any other fault of the
            // peer: the primary's write stands and the job retries. No exception text is shown.
            return SyncOutcome.Transient($"Replication failed: Region {peer.Region} did not answer. Secrets Manager retries.");
        }
    }

    /// <summary>One attempt; null when a concurrent writer won and the attempt must be repeated.</summary>
    private async Task<SyncOutcome?> TrySyncAsync(string name, ReplicationPeer peer, CancellationToken cancellationToken)
    {
        var replica = await peer.Store.GetAsync(name, cancellationToken);
        var primary = await primaryStore.GetAsync(name, cancellationToken);
        var wanted = primary?.Replicas?.Find(r => r.Region == peer.Region);
        var ours = replica?.PrimaryRegion == options.Region;
        if (wanted is null)
        {
            // Not (or no longer) replicated there: remove our replica, if any (RemoveRegionsFromReplication).
            if (ours)
            {
                await peer.Store.DeleteAsync(name, cancellationToken);
            }

            return SyncOutcome.Removed;
        }

        if (replica is null)
        {
            return await CreateAsync(primary!, wanted, peer, cancellationToken);
        }

        var sameSecret = replica.ArnSuffix == primary!.ArnSuffix && replica.CreatedDate == primary.CreatedDate;
        if (ours && sameSecret)
        {
            return await UpdateAsync(primary, replica, peer, cancellationToken);
        }

        if (replica.PrimaryRegion is null && sameSecret)
        {
            // StopReplicationToReplica promoted it in its Region: it is no replica of ours any more.
            return SyncOutcome.Promoted;
        }

        if (!ours && !wanted.ForceOverwrite)
        {
            return SyncOutcome.Conflict($"Replication failed: Secret name {name} already exists in region {peer.Region}.");
        }

        // ForceOverwriteReplicaSecret, or a stale replica of an earlier secret of this name.
        await peer.Store.DeleteAsync(name, cancellationToken);
        return await CreateAsync(primary, wanted, peer, cancellationToken);
    }

    private async Task<SyncOutcome?> CreateAsync(SecretRecord primary, ReplicaState wanted, ReplicationPeer peer, CancellationToken cancellationToken)
    {
        var replica = new SecretRecord
        {
            Name = primary.Name,
            ArnSuffix = primary.ArnSuffix,
            CreatedDate = primary.CreatedDate,
            KmsKeyId = wanted.KmsKeyId,
            PrimaryRegion = options.Region,
        };
        CopyMetadata(primary, replica);
        var versions = await ResealAsync(primary, replica, [.. primary.Versions.Keys], peer, cancellationToken);
        if (versions is null)
        {
            return null;
        }

        SetCurrentValue(replica, versions, fallback: null);
        var first = versions.Take(RowsPerChange).ToList();
        if (!await peer.Store.CreateAsync(replica, first, cancellationToken))
        {
            return null;
        }

        foreach (var chunk in versions.Skip(RowsPerChange).Chunk(RowsPerChange))
        {
            if (!await peer.Store.TryUpdateAsync(replica, chunk, [], cancellationToken))
            {
                return null;
            }
        }

        return SyncOutcome.InSync(null);
    }

    private async Task<SyncOutcome?> UpdateAsync(SecretRecord primary, SecretRecord replica, ReplicationPeer peer, CancellationToken cancellationToken)
    {
        var added = primary.Versions.Keys.Where(id => !replica.Versions.ContainsKey(id)).ToList();
        var removed = replica.Versions.Keys.Where(id => !primary.Versions.ContainsKey(id)).ToList();
        if (added.Count + removed.Count > RowsPerChange)
        {
            // More than one transaction can hold: write the replica afresh.
            await peer.Store.DeleteAsync(replica.Name, cancellationToken);
            return null;
        }

        var copy = replica.Clone();
        CopyMetadata(primary, copy);
        var versions = await ResealAsync(primary, copy, added, peer, cancellationToken);
        if (versions is null)
        {
            return null;
        }

        var fallback = replica.CurrentVersionId == copy.CurrentVersionId ? replica.CurrentValue : null;
        if (!SetCurrentValue(copy, versions, fallback) && copy.CurrentVersionId is { } current)
        {
            // AWSCURRENT moved to a version the replica already holds (UpdateSecretVersionStage).
            copy.CurrentValue = (await peer.Store.GetVersionAsync(copy.Name, current, cancellationToken))?.Value;
            if (copy.CurrentValue is null)
            {
                return null;
            }
        }

        return await peer.Store.TryUpdateAsync(copy, versions, removed, cancellationToken)
            ? SyncOutcome.InSync(replica.LastAccessedDate)
            : null;
    }

    /// <summary>What follows the primary: everything but the replica's own key, access date and ETag.</summary>
    private static void CopyMetadata(SecretRecord primary, SecretRecord replica)
    {
        replica.Description = primary.Description;
        replica.Tags = primary.Tags?.ToList();
        replica.ResourcePolicy = primary.ResourcePolicy;
        replica.RotationEnabled = primary.RotationEnabled;
        replica.RotationLambdaArn = primary.RotationLambdaArn;
        replica.RotationRules = primary.RotationRules;
        replica.LastRotatedDate = primary.LastRotatedDate;
        replica.NextRotationDate = primary.NextRotationDate;
        replica.LastChangedDate = primary.LastChangedDate;
        replica.Versions.Clear();
        foreach (var (id, entry) in primary.Versions)
        {
            replica.Versions[id] = entry.Clone();
        }
    }

    /// <summary>The listed versions, opened with our key and sealed with the peer's; null when one vanished meanwhile.</summary>
    private async Task<List<StoredVersion>?> ResealAsync(SecretRecord primary, SecretRecord replica, List<string> versionIds, ReplicationPeer peer, CancellationToken cancellationToken)
    {
        var primaryArn = primary.Arn(options);
        var replicaArn = replica.Arn(peer.Options);
        var result = new List<StoredVersion>(versionIds.Count);
        foreach (var versionId in versionIds)
        {
            var version = await primaryStore.GetVersionAsync(primary.Name, versionId, cancellationToken);
            if (version?.Value is null)
            {
                return null;
            }

            var plaintext = await primaryCipher.OpenAsync(version.Value, primaryArn, versionId, cancellationToken);
            try
            {
                var sealedValue = await peer.Cipher.SealAsync(replica.KmsKeyId, plaintext, replicaArn, versionId, cancellationToken);
                result.Add(new StoredVersion { VersionId = versionId, CreatedDate = version.CreatedDate, Value = sealedValue });
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plaintext);
            }
        }

        return result;
    }

    /// <summary>Sets the AWSCURRENT copy from the new rows or the fallback; false when neither holds it.</summary>
    private static bool SetCurrentValue(SecretRecord replica, List<StoredVersion> versions, SealedValue? fallback)
    {
        var current = replica.CurrentVersionId;
        replica.CurrentValue = versions.Find(v => v.VersionId == current)?.Value ?? fallback;
        return replica.CurrentValue is not null || current is null;
    }
}

/// <summary>How one synchronisation ended.</summary>
public sealed record SyncOutcome(SyncResult Result, string? Message, DateTimeOffset? LastAccessedDate = null)
{
    public static SyncOutcome Removed { get; } = new(SyncResult.Removed, null);

    public static SyncOutcome Promoted { get; } = new(SyncResult.Promoted, null);

    public static SyncOutcome InSync(DateTimeOffset? lastAccessed) => new(SyncResult.InSync, ReplicaState.SucceededMessage, lastAccessed);

    public static SyncOutcome Transient(string message) => new(SyncResult.Transient, message);

    public static SyncOutcome Conflict(string message) => new(SyncResult.Conflict, message);
}

/// <summary>The kinds of <see cref="SyncOutcome"/>.</summary>
public enum SyncResult
{
    /// <summary>The replica holds the primary's state.</summary>
    InSync,

    /// <summary>Not replicated to that Region: nothing of ours is left there.</summary>
    Removed,

    /// <summary>The replica was promoted to a standalone secret in its Region.</summary>
    Promoted,

    /// <summary>Failed for now (storage or key unreachable): the job retries.</summary>
    Transient,

    /// <summary>Failed until the caller acts (a secret of that name exists there).</summary>
    Conflict,
}
