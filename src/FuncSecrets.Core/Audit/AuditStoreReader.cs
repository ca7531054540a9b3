using System.Runtime.CompilerServices;

namespace FuncSecrets.Core.Audit;

/// <summary>
/// <see cref="IAuditReader"/> over an <see cref="IAuditStore"/> that reads oldest first, one UTC
/// hour (one name prefix of the CloudTrail files) per query: walks the range back hour by hour, keeps
/// only the newest records still wanted from each hour, and hands them out newest first, so
/// memory stays bounded by the page size however busy an hour was. Hours are read a growing
/// number at a time (1, 2, 4 … 48), so a lookup that the last hour answers costs one query and a
/// sparse 90-day range does not cost 2,160 round trips one after another.
/// </summary>
public sealed class AuditStoreReader(IAuditStore store) : IAuditReader
{
    private const int MaxHoursAtOnce = 48;

    public async IAsyncEnumerable<AuditRecord> ReadNewestFirstAsync(AuditQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var to = query.After is { } after && after.Time < query.To ? after.Time : query.To;
        var remaining = query.Limit;
        var hourEnd = HourStart(to).AddHours(1);
        var width = 1;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reads = new List<Task<Queue<AuditRecord>>>();
        try
        {
            while (remaining > 0 && hourEnd > query.From)
            {
                reads.Clear();
                for (var i = 0; i < width && hourEnd > query.From; i++)
                {
                    var hourStart = hourEnd.AddHours(-1);
                    var sliceFrom = hourStart < query.From ? query.From : hourStart;
                    var sliceTo = hourEnd.AddTicks(-1) > to ? to : hourEnd.AddTicks(-1);
                    reads.Add(ReadHourAsync(sliceFrom, sliceTo, query, remaining, stop.Token));
                    hourEnd = hourStart;
                }

                // Newest hour first, each hour's records newest first.
                foreach (var read in reads)
                {
                    foreach (var record in (await read).Reverse())
                    {
                        if (remaining == 0)
                        {
                            yield break;
                        }

                        remaining--;
                        yield return record;
                    }
                }

                width = Math.Min(width * 2, MaxHoursAtOnce);
            }
        }
        finally
        {
            // Reads of hours no longer needed are stopped and observed, never left running.
            await stop.CancelAsync();
            foreach (var read in reads)
            {
                try
                {
                    await read;
                }
                catch (Exception error) when (error is OperationCanceledException || !read.IsCompletedSuccessfully)
                {
                    // Only the records that were handed out matter now.
                }
            }
        }
    }

    /// <summary>The newest <paramref name="keep"/> matching records of one hour's slice, oldest first.</summary>
    private async Task<Queue<AuditRecord>> ReadHourAsync(DateTimeOffset from, DateTimeOffset to, AuditQuery query, int keep, CancellationToken cancellationToken)
    {
        var newest = new Queue<AuditRecord>(Math.Min(keep, 64));
        await foreach (var record in store.ReadAsync(from, to, null, cancellationToken))
        {
            // Ascending order: the last page ended at After, so what follows it here was on it.
            if (query.After is { } position && position.Is(record))
            {
                break;
            }

            if (!query.Matches(record))
            {
                continue;
            }

            newest.Enqueue(record);
            if (newest.Count > keep)
            {
                newest.Dequeue();
            }
        }

        return newest;
    }

    private static DateTimeOffset HourStart(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }
}
