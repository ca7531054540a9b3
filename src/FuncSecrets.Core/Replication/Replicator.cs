using FuncSecrets.Core.Model;
using FuncSecrets.Core.Services;
using FuncSecrets.Core.Storage;
using Microsoft.Extensions.Logging;

namespace FuncSecrets.Core.Replication;

/// <summary>
/// Propagation of a primary's changes to its replicas, hooked into the write path with two calls:
/// <see cref="BeforeCommitAsync"/> adds an entry to the "replicate" due index before the primary's
/// write (as the purge and rotate indexes are written before the change they announce), and
/// <see cref="AfterCommitAsync"/> synchronises every peer right after it and removes the entry when
/// every replica is in step. A process that dies between the two writes leaves the entry, and
/// <see cref="ReplicateSecretsJob"/> finishes the work; a peer that does not answer leaves the
/// replica <c>Failed</c> and the entry for the job's next pass.
/// </summary>
public sealed class Replicator(OperationDependencies deps)
{
    /// <summary>The due index of secrets whose replicas may be behind.</summary>
    public const string Index = "replicate";

    private const int MaxStatusAttempts = 10;

    /// <summary>Created when first needed: the writer builds a replicator per call and most calls log nothing.</summary>
    private ILogger Logger => field ??= deps.LoggerFactory.CreateLogger("FuncSecrets.Replication");

    /// <summary>
    /// Before a primary's write: when the secret has (or had) replicas, announces the change in the
    /// due index and returns the entry; null when nothing will need replicating.
    /// </summary>
    public async Task<DueEntry?> BeforeCommitAsync(SecretRecord before, SecretRecord after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (before.Replicas is not { Count: > 0 } && after.Replicas is not { Count: > 0 })
        {
            return null;
        }

        var entry = new DueEntry(Index, deps.Now() + deps.Peers.RetryDelay, after.Name);
        await deps.DueIndex.AddDueAsync(entry.Index, entry.Due, entry.Name, cancellationToken);
        return entry;
    }

    /// <summary>
    /// After a primary's write succeeded: synchronises the replicas, records their status on
    /// <paramref name="committed"/> and in storage, and removes <paramref name="pending"/> when all
    /// are done. Never fails the caller's write: a failure is logged and left to the job.
    /// </summary>
    public async Task AfterCommitAsync(DueEntry? pending, SecretRecord committed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(committed);
        if (pending is null)
        {
            return;
        }

        try
        {
            var (done, replicas) = await SyncSecretAsync(committed.Name, cancellationToken);
            committed.Replicas = replicas;
            if (done)
            {
                await deps.DueIndex.RemoveDueAsync(pending, cancellationToken);
            }
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The primary's write stands; the due entry stays for the job.
            Log.ReplicationDeferred(Logger, error, committed.Name);
        }
    }

    /// <summary>
    /// Synchronises every configured peer with the primary <paramref name="name"/> and records the
    /// outcome in the primary's <see cref="SecretRecord.Replicas"/>. Done when nothing is left to
    /// retry (every replica in step, removed, promoted, or failed for a reason only the caller can
    /// mend); returns the replicas as stored afterwards.
    /// </summary>
    public async Task<(bool Done, List<ReplicaState>? Replicas)> SyncSecretAsync(string name, CancellationToken cancellationToken)
    {
        var synchroniser = new ReplicaSynchroniser(deps.Store, deps.Cipher, deps.Options);
        var outcomes = new Dictionary<string, SyncOutcome>(StringComparer.Ordinal);
        foreach (var peer in deps.Peers.All)
        {
            var outcome = await synchroniser.SyncAsync(name, peer, cancellationToken);
            outcomes[peer.Region] = outcome;
            if (outcome.Result != SyncResult.Removed)
            {
                Log.Synchronised(Logger, name, peer.Region, outcome.Result, outcome.Message);
            }
        }

        var done = outcomes.Values.All(o => o.Result != SyncResult.Transient);

        // Not through SecretChangeWriter: this runs inside its commit step, holding the secret's
        // queue, and records only the replicas' status (no caller, no authorization, no new version).
        for (var attempt = 1; attempt <= MaxStatusAttempts; attempt++)
        {
            var primary = await deps.Store.GetAsync(name, cancellationToken);
            if (primary is null)
            {
                return (true, null);
            }

            var replicas = Apply(primary.Replicas, outcomes);
            if (SameStatus(primary.Replicas, replicas))
            {
                return (done, primary.Replicas);
            }

            primary.Replicas = replicas;
            if (await deps.Store.TryUpdateAsync(primary, [], [], cancellationToken))
            {
                return (done, replicas);
            }
        }

        return (false, null);
    }

    /// <summary>The replicas with the outcomes applied; a Region no peer serves stays failed until removed.</summary>
    private static List<ReplicaState>? Apply(List<ReplicaState>? replicas, Dictionary<string, SyncOutcome> outcomes)
    {
        if (replicas is null)
        {
            return null;
        }

        var result = new List<ReplicaState>(replicas.Count);
        foreach (var replica in replicas)
        {
            if (!outcomes.TryGetValue(replica.Region, out var outcome))
            {
                result.Add(replica with { Status = ReplicaState.Failed, StatusMessage = $"Replication failed: Region {replica.Region} is not configured as a replication peer." });
                continue;
            }

            switch (outcome.Result)
            {
                case SyncResult.InSync:
                    result.Add(replica with
                    {
                        Status = ReplicaState.InSync,
                        StatusMessage = outcome.Message,
                        LastAccessedDate = outcome.LastAccessedDate ?? replica.LastAccessedDate,
                        ForceOverwrite = false,
                    });
                    break;
                case SyncResult.Transient or SyncResult.Conflict:
                    result.Add(replica with { Status = ReplicaState.Failed, StatusMessage = outcome.Message });
                    break;
                case SyncResult.Removed:
                    // Listed after this pass read the primary: its own write path will synchronise it.
                    result.Add(replica);
                    break;
                case SyncResult.Promoted:
                    break;
            }
        }

        return result.Count == 0 ? null : result;
    }

    private static bool SameStatus(List<ReplicaState>? a, List<ReplicaState>? b) =>
        a is null || b is null ? a is null && b is null : a.SequenceEqual(b);
}
