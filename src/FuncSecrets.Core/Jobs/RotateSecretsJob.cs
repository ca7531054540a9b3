using System.Diagnostics;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Rotation;
using FuncSecrets.Core.Storage;

namespace FuncSecrets.Core.Jobs;

/// <summary>
/// Starts every rotation that is due: reads the "rotate" index up to now (never the whole
/// table), re-reads each secret the index names, and rotates those whose window has opened or
/// whose last attempt failed or was interrupted (resuming with the same token). Stale entries
/// (rotation turned off, rotated since, schedule changed) are dropped, and a secret whose value
/// was changed by hand since its last rotation moves to its new window, as AWS counts a manual
/// change as a rotation. Idempotent and safe to run twice at once: the rotation lease lets one
/// runner per secret through.
/// </summary>
public sealed class RotateSecretsJob(ISecretStore store, IDueIndex dueIndex, RotationRunner runner, TimeProvider time) : IScheduledJob
{
    /// <summary>The job's name, and the name of the timer function that runs it.</summary>
    public const string JobName = "RotateSecrets";

    private const int BatchSize = 500;

    public string Name => JobName;

    public async Task<JobResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        var examined = 0;
        var rotated = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var due = await dueIndex.ListDueAsync(RotationWrites.Index, now, BatchSize, cancellationToken);
            var toRotate = new List<(DueEntry Entry, SecretRecord Record)>();
            foreach (var entry in due)
            {
                examined++;
                var record = seen.Add(entry.Name) ? await store.GetAsync(entry.Name, cancellationToken) : null;
                if (record is not null && await IsDueAsync(record, now, cancellationToken))
                {
                    toRotate.Add((entry, record));
                    continue;
                }

                // Settled: not due, or already has the entry of its next window.
                await dueIndex.RemoveDueAsync(entry, cancellationToken);
            }

            var options = new ParallelOptions { MaxDegreeOfParallelism = runner.MaxConcurrentRotations, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(toRotate, options, async (due, ct) =>
            {
                var outcome = await runner.RunDueAsync(due.Record, ct);
                if (outcome == DueRotationOutcome.Rotated)
                {
                    Interlocked.Increment(ref rotated);
                }

                // Only now: a rotation that could not even start (storage down) keeps its entry
                // and is tried at the next tick. One that started wrote its own next entries.
                if (outcome != DueRotationOutcome.TryAgain)
                {
                    await dueIndex.RemoveDueAsync(due.Entry, ct);
                }
            });

            if (due.Count < BatchSize)
            {
                break;
            }
        }

        return new JobResult(examined, rotated, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Whether <paramref name="record"/> should rotate now. A rotation in progress is due once no
    /// instance holds its lease; a scheduled one once its window has opened. When the window
    /// has moved on (a manual value change, a changed schedule), its entry is written here.
    /// </summary>
    private async Task<bool> IsDueAsync(SecretRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (record.IsDeleted || record.RotationEnabled != true || string.IsNullOrEmpty(record.RotationLambdaArn))
        {
            return false;
        }

        if (RotationLease.Read(record.RotationToken) is { } lease && lease.IsActive(now))
        {
            // Running elsewhere: look again when its lease runs out.
            await dueIndex.AddDueAsync(RotationWrites.Index, lease.ExpiresAt, record.Name, cancellationToken);
            return false;
        }

        if (Secret.PendingRotationVersionOf(record) is not null)
        {
            return true;
        }

        var schedule = RotationSchedule.FromStored(record.RotationRules);
        if (schedule is null || record.NextRotationDate is null)
        {
            return false;
        }

        if (schedule.CountsFromLastRotation)
        {
            // A value changed by hand since the last rotation counts as one (AWS): the window
            // moves on. The stored NextRotationDate catches up at the next rotation.
            var moved = schedule.NextWindow(Secret.LastRotation(record, now), now);
            if (moved.NextRotationDate > record.NextRotationDate)
            {
                if (moved.Start > now)
                {
                    await dueIndex.AddDueAsync(RotationWrites.Index, moved.Start, record.Name, cancellationToken);
                    return false;
                }

                return true;
            }
        }

        // Due once its window has opened; overdue when the window passed without a rotation.
        return schedule.WindowEndingAt(record.NextRotationDate.Value) is { } window
            ? window.Start <= now
            : record.NextRotationDate <= now;
    }
}
