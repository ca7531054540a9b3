using System.Diagnostics;
using FuncSecrets.Core.Jobs;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Replication;

/// <summary>
/// Finishes replication the write path could not: reads the "replicate" due index up to now (an
/// entry is older than <see cref="ReplicationPeers.RetryDelay"/> only when its write path failed to
/// reach a peer or died), synchronises each secret, and removes its entries once nothing is left
/// to retry. Entries of a peer that still does not answer stay for the next pass, so a
/// <c>Failed</c> replica becomes <c>InSync</c> once its Region is back. Idempotent and safe to
/// run twice at once (each synchronisation is conditional on the replica's ETag).
/// </summary>
public sealed class ReplicateSecretsJob(OperationDependencies deps) : IScheduledJob
{
    /// <summary>The job's name, and the name of the timer function that runs it.</summary>
    public const string JobName = "ReplicateSecrets";

    private const int BatchSize = 500;

    public string Name => JobName;

    public async Task<JobResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var replicator = new Replicator(deps);
        var due = await deps.DueIndex.ListDueAsync(Replicator.Index, deps.Time.GetUtcNow(), BatchSize, cancellationToken);
        var finished = 0;
        foreach (var secret in due.GroupBy(e => e.Name, StringComparer.Ordinal))
        {
            var (done, _) = await replicator.SyncSecretAsync(secret.Key, cancellationToken);
            DateTimeOffset? retry = done ? null : deps.Now();
            if (retry is { } at)
            {
                // Still failing: one fresh entry at the back of the queue, so a Region that stays
                // down does not hold the first places of every pass.
                await deps.DueIndex.AddDueAsync(Replicator.Index, at, secret.Key, cancellationToken);
            }
            else
            {
                finished++;
            }

            foreach (var entry in secret.Where(e => e.Due != retry))
            {
                await deps.DueIndex.RemoveDueAsync(entry, cancellationToken);
            }
        }

        return new JobResult(due.Count, finished, Stopwatch.GetElapsedTime(started));
    }
}
