using System.Diagnostics;
using FuncSecrets.Core.Operations;
using FuncSecrets.Core.Storage;

namespace FuncSecrets.Core.Jobs;

/// <summary>
/// Removes every secret whose recovery window has ended. Reads the purge index (entries due by
/// now), never the whole table, so a tick costs what is due, not what is stored. Idempotent and
/// safe to run twice at once: each entry is checked against the secret before anything goes.
/// Then, when the store keeps a listing index apart from the secrets (<see cref="IListIndexSweep"/>),
/// settles up to <see cref="MaxSweptRows"/> of its unconfirmed rows (issue 13: rows no reader meets).
/// </summary>
public sealed class PurgeDeletedSecretsJob(ISecretStore store, IDueIndex dueIndex, TimeProvider time) : IScheduledJob
{
    /// <summary>The job's name, and the name of the timer function that runs it.</summary>
    public const string JobName = "PurgeDeletedSecrets";

    private const int BatchSize = 500;

    /// <summary>Unconfirmed listing-index rows one tick examines at most.</summary>
    public const int MaxSweptRows = 1_000;

    public string Name => JobName;

    /// <summary>Runs one pass; returns how many secrets were purged.</summary>
    public async Task<JobResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        var purged = 0;
        var examined = 0;
        while (true)
        {
            var due = await dueIndex.ListDueAsync(DeleteSecretHandler.PurgeIndex, now, BatchSize, cancellationToken);
            foreach (var entry in due)
            {
                examined++;
                var record = await store.GetAsync(entry.Name, cancellationToken);
                if (record is { IsDeleted: true, PurgeDate: { } purgeDate } && purgeDate <= now)
                {
                    await store.DeleteAsync(entry.Name, cancellationToken);
                    purged++;
                }
                else if (record is { IsDeleted: true, PurgeDate: { } later } && later > now && later == entry.Due)
                {
                    // Not due yet after all (clock skew between writers): leave the entry.
                    continue;
                }

                // Purged now, restored, or superseded by a newer deletion with its own entry.
                await dueIndex.RemoveDueAsync(entry, cancellationToken);
            }

            if (due.Count < BatchSize)
            {
                break;
            }
        }

        if (store is IListIndexSweep index)
        {
            await index.SweepListIndexAsync(MaxSweptRows, cancellationToken);
        }

        return new JobResult(examined, purged, Stopwatch.GetElapsedTime(started));
    }
}

/// <summary>What one job pass did.</summary>
public sealed record JobResult(int Examined, int Processed, TimeSpan Elapsed);
