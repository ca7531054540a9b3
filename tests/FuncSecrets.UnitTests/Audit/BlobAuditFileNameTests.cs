using FuncSecrets.Azure.Audit;

namespace FuncSecrets.UnitTests.Audit;

/// <summary>
/// Audit file names sort by write time within their period (issue 15): the reader keeps file
/// order, and CloudTrail's eventTime is second-granular, so two calls in one second written in two
/// batches must list in call order (a random unique part made the console's audit page flaky).
/// </summary>
public sealed class BlobAuditFileNameTests
{
    private static readonly DateTimeOffset PeriodStart = new(2026, 12, 5, 2, 10, 0, TimeSpan.Zero);

    [Fact]
    public void UniquePart_LaterFirstRecord_SortsAfterEarlier()
    {
        var names = Enumerable.Range(0, 200)
            .Select(i => BlobAuditStore.UniquePart(PeriodStart, PeriodStart.AddMilliseconds(i * 1_499)))
            .ToList();

        Assert.Equal(names, names.Order(StringComparer.Ordinal));
        Assert.Equal(200, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void UniquePart_SameInstant_StillUniqueAndSixteenCharacters()
    {
        var first = BlobAuditStore.UniquePart(PeriodStart, PeriodStart.AddSeconds(7));
        var second = BlobAuditStore.UniquePart(PeriodStart, PeriodStart.AddSeconds(7));

        Assert.Equal(16, first.Length);
        Assert.NotEqual(first, second);
        Assert.Equal(first[..7], second[..7]);
        Assert.All(first, c => Assert.True(char.IsAsciiLetterOrDigit(c)));
    }

    [Fact]
    public void UniquePart_LastTickOfThePeriod_SortsAfterItsFirst()
    {
        var early = BlobAuditStore.UniquePart(PeriodStart, PeriodStart);
        var late = BlobAuditStore.UniquePart(PeriodStart, PeriodStart + BlobAuditStore.Period - TimeSpan.FromTicks(1));

        Assert.True(string.CompareOrdinal(early, late) < 0, $"{early} !< {late}");
    }
}
