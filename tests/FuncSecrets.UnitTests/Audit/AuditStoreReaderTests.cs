using System.Runtime.CompilerServices;
using FuncSecrets.Core.Audit;

namespace FuncSecrets.UnitTests.Audit;

/// <summary>The newest-first reader behind LookupEvents (issue 16), over a store that reads oldest first by hour.</summary>
public sealed class AuditStoreReaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task ReadNewestFirst_AcrossHours_NewestFirstWithinTheRange()
    {
        var store = new ListAuditStore(At(-150, "a"), At(-61, "b"), At(-59, "c"), At(-1, "d"), At(5, "future"));
        var records = await ReadAsync(store, new AuditQuery(Now.AddMinutes(-120), Now, _ => true, 10, null));

        Assert.Equal(["d", "c", "b"], records.Select(r => r.RequestId));
    }

    [Fact]
    public async Task ReadNewestFirst_Limit_StopsAfterThatMany()
    {
        var store = new ListAuditStore(At(-200, "a"), At(-100, "b"), At(-30, "c"), At(-20, "d"));
        var records = await ReadAsync(store, new AuditQuery(Now.AddDays(-1), Now, _ => true, 3, null));

        Assert.Equal(["d", "c", "b"], records.Select(r => r.RequestId));
    }

    [Fact]
    public async Task ReadNewestFirst_AfterPosition_ContinuesBelowItEvenWithinTheSameTick()
    {
        var tick = At(-10, "x");
        var store = new ListAuditStore(At(-300, "a"), tick with { RequestId = "p" }, tick with { RequestId = "q" }, tick with { RequestId = "r" }, At(-5, "z"));
        var after = new AuditPosition(tick.EventTime, "q");
        var records = await ReadAsync(store, new AuditQuery(Now.AddDays(-1), Now, _ => true, 10, after));

        Assert.Equal(["p", "a"], records.Select(r => r.RequestId));
    }

    [Fact]
    public async Task ReadNewestFirst_Filter_OnlyMatchingRecordsCountTowardTheLimit()
    {
        var store = new ListAuditStore(At(-2000, "old-match"), At(-30, "other"), At(-20, "match"), At(-10, "other2"));
        var records = await ReadAsync(store, new AuditQuery(Now.AddDays(-90), Now, r => r.RequestId.Contains("match", StringComparison.Ordinal), 5, null));

        Assert.Equal(["match", "old-match"], records.Select(r => r.RequestId));
    }

    private static AuditRecord At(int minutes, string id) => new()
    {
        EventTime = Now.AddMinutes(minutes),
        EventName = "GetSecretValue",
        RequestId = id,
        EventCategory = "Data",
    };

    private static async Task<List<AuditRecord>> ReadAsync(IAuditStore store, AuditQuery query)
    {
        var records = new List<AuditRecord>();
        await foreach (var record in new AuditStoreReader(store).ReadNewestFirstAsync(query, CancellationToken.None))
        {
            records.Add(record);
        }

        return records;
    }

    /// <summary>Reads as the file store does: inclusive range, oldest first, in write order within a tick.</summary>
    private sealed class ListAuditStore(params AuditRecord[] records) : IAuditStore
    {
        public Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken) => throw new NotSupportedException();

        public async IAsyncEnumerable<AuditRecord> ReadAsync(DateTimeOffset since, DateTimeOffset until, string? secret, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            foreach (var record in records.Where(r => r.EventTime >= since && r.EventTime <= until).OrderBy(r => r.EventTime))
            {
                yield return record;
            }
        }
    }
}
