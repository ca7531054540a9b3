namespace FuncSecrets.Core.Audit;

/// <summary>
/// Reads the audit trail back, newest first: the one thing <c>LookupEvents</c> needs from the
/// store. Kept this small so the store behind it (today an hourly-partitioned table, later
/// CloudTrail-format files) can be swapped without touching the operation.
/// </summary>
public interface IAuditReader
{
    /// <summary>
    /// The records of <paramref name="query"/>'s time range that match it, newest first, starting
    /// after <see cref="AuditQuery.After"/> when given, at most <see cref="AuditQuery.Limit"/>.
    /// </summary>
    IAsyncEnumerable<AuditRecord> ReadNewestFirstAsync(AuditQuery query, CancellationToken cancellationToken);
}

/// <summary>What to read: an inclusive time range, a filter, a page size and where the last page ended.</summary>
public sealed record AuditQuery(DateTimeOffset From, DateTimeOffset To, Func<AuditRecord, bool> Matches, int Limit, AuditPosition? After);

/// <summary>A record's place in the trail: its time and request id (unique per call).</summary>
public sealed record AuditPosition(DateTimeOffset Time, string RequestId)
{
    public bool Is(AuditRecord record) =>
        record.EventTime.UtcTicks == Time.UtcTicks && string.Equals(record.RequestId, RequestId, StringComparison.Ordinal);
}
