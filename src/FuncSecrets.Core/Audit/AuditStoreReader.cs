using System.Runtime.CompilerServices;

namespace FuncSecrets.Core.Audit;

/// <summary>
/// <see cref="IAuditReader"/> over an <see cref="IAuditStore"/> that reads oldest first: walks the
/// range back one UTC hour at a time (one partition of the table store), keeps only the newest
/// records still wanted from each hour, and hands them out newest first. Memory stays bounded by
/// the page size, however busy an hour was.
/// </summary>
public sealed class AuditStoreReader(IAuditStore store) : IAuditReader
{
    public async IAsyncEnumerable<AuditRecord> ReadNewestFirstAsync(AuditQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var to = query.After is { } after && after.Time < query.To ? after.Time : query.To;
        var remaining = query.Limit;
        var hourEnd = HourStart(to).AddHours(1);
        while (remaining > 0 && hourEnd > query.From)
        {
            var hourStart = hourEnd.AddHours(-1);
            var sliceFrom = hourStart < query.From ? query.From : hourStart;
            var sliceTo = hourEnd.AddTicks(-1) > to ? to : hourEnd.AddTicks(-1);
            var newest = new Queue<AuditRecord>(Math.Min(remaining, 64));
            await foreach (var record in store.ReadAsync(sliceFrom, sliceTo, null, cancellationToken))
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
                if (newest.Count > remaining)
                {
                    newest.Dequeue();
                }
            }

            foreach (var record in newest.Reverse())
            {
                remaining--;
                yield return record;
            }

            hourEnd = hourStart;
        }
    }

    private static DateTimeOffset HourStart(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }
}
