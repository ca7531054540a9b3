using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Rotation;

namespace FuncSecrets.UnitTests.Rotation;

/// <summary>
/// Schedules against AWS's documented examples (Secrets Manager User Guide, "Rotation
/// schedules") and one recorded DescribeSecret answer.
/// </summary>
public class RotationScheduleTests
{
    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    private static RotationSchedule Schedule(string? expression = null, long? days = null, string? duration = null) =>
        RotationSchedule.Parse(new RotationRules(days, duration, expression))!;

    [Fact]
    public void NextWindow_AutomaticallyAfterDays_MatchesRecordedAwsAnswer()
    {
        // Recorded DescribeSecret: AutomaticallyAfterDays 30, value last changed 2026-02-03
        // 17:34 UTC, NextRotationDate 2026-03-06T00:59:59+01:00 (= 2026-03-05T23:59:59Z).
        var window = Schedule(days: 30).NextWindow(Utc(2026, 2, 3, 17, 34, 2), Utc(2026, 2, 3, 17, 42, 24));

        Assert.Equal(Utc(2026, 3, 5), window.Start);
        Assert.Equal(Utc(2026, 3, 5, 23, 59, 59), window.NextRotationDate);
    }

    [Theory]
    [InlineData("cron(0 10 * * ? *)", "2026-01-15T09:30:00Z", "2026-01-15T10:00:00Z")] // every day at 10:00
    [InlineData("cron(0 10 * * ? *)", "2026-01-15T10:00:00Z", "2026-01-16T10:00:00Z")]
    [InlineData("cron(0 18 ? * SAT *)", "2026-01-15T00:00:00Z", "2026-01-17T18:00:00Z")] // every Saturday at 18:00
    [InlineData("cron(0 8 1 * ? *)", "2026-01-15T00:00:00Z", "2026-02-01T08:00:00Z")] // first day of every month
    [InlineData("cron(0 1 * 1/3 SUN *)", "2026-01-31T12:00:00Z", "2026-04-05T01:00:00Z")] // every three months on Sunday
    [InlineData("cron(0 17 L * ? *)", "2026-02-01T00:00:00Z", "2026-02-28T17:00:00Z")] // last day of every month
    [InlineData("cron(0 17 L * ? *)", "2028-02-01T00:00:00Z", "2028-02-29T17:00:00Z")]
    [InlineData("cron(0 8 ? * MON-FRI *)", "2026-01-16T09:00:00Z", "2026-01-19T08:00:00Z")] // Monday through Friday
    [InlineData("cron(0 16 1,15 * ? *)", "2026-01-15T16:00:00Z", "2026-02-01T16:00:00Z")] // 1st and 15th
    [InlineData("cron(0 0 ? * SUN#1 *)", "2026-01-15T00:00:00Z", "2026-02-01T00:00:00Z")] // first Sunday of the month
    [InlineData("cron(0 10 ? FEB,MAY,AUG,NOV TUE#2 *)", "2026-01-15T00:00:00Z", "2026-02-10T10:00:00Z")]
    [InlineData("cron(0 4/12 * * ? *)", "2026-01-15T05:00:00Z", "2026-01-15T16:00:00Z")] // 4:00 and 16:00, resetting daily
    [InlineData("cron(0 4/12 * * ? *)", "2026-01-15T16:00:00Z", "2026-01-16T04:00:00Z")]
    [InlineData("cron(0 9 15W * ? *)", "2026-02-01T00:00:00Z", "2026-02-16T09:00:00Z")] // 15 Feb 2026 is a Sunday
    [InlineData("cron(0 9 1W * ? *)", "2026-02-02T10:00:00Z", "2026-03-02T09:00:00Z")] // 1 Mar 2026 is a Sunday
    [InlineData("cron(0 9 LW * ? *)", "2026-01-01T00:00:00Z", "2026-01-30T09:00:00Z")] // 31 Jan 2026 is a Saturday
    [InlineData("cron(0 12 ? * FRIL *)", "2026-01-01T00:00:00Z", "2026-01-30T12:00:00Z")] // last Friday
    [InlineData("cron(0 12 ? * 6L *)", "2026-01-01T00:00:00Z", "2026-01-30T12:00:00Z")]
    [InlineData("cron(0 0 29 2 ? *)", "2026-01-01T00:00:00Z", "2028-02-29T00:00:00Z")]
    public void NextAfter_AwsExamples_OpenOnTheDocumentedHour(string expression, string after, string expected)
    {
        var next = CronExpression.Parse(expression).NextAfter(DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Fact]
    public void NextWindow_DailyCron_ClosesAtEndOfDay()
    {
        var window = Schedule("cron(0 10 * * ? *)").NextWindow(Utc(2026, 1, 15, 11), Utc(2026, 1, 15, 11));

        Assert.Equal(Utc(2026, 1, 16, 10), window.Start);
        Assert.Equal(Utc(2026, 1, 16, 23, 59, 59), window.NextRotationDate);
    }

    [Fact]
    public void NextWindow_HourlyCron_ClosesAfterOneHour()
    {
        var window = Schedule("cron(0 4/12 * * ? *)").NextWindow(Utc(2026, 1, 15, 5), Utc(2026, 1, 15, 5));

        Assert.Equal(Utc(2026, 1, 15, 16), window.Start);
        Assert.Equal(Utc(2026, 1, 15, 16, 59, 59), window.NextRotationDate);
    }

    [Fact]
    public void NextWindow_Duration_SetsWindowLength()
    {
        var window = Schedule("cron(0 16 1,15 * ? *)", duration: "2h").NextWindow(Utc(2026, 1, 2), Utc(2026, 1, 2));

        Assert.Equal(Utc(2026, 1, 15, 16), window.Start);
        Assert.Equal(Utc(2026, 1, 15, 17, 59, 59), window.NextRotationDate);
    }

    [Fact]
    public void NextWindow_RateInDays_StartsAtMidnightCountingFromLastRotation()
    {
        var window = Schedule("rate(10 days)").NextWindow(Utc(2026, 1, 15, 13), Utc(2026, 1, 15, 13));

        Assert.Equal(Utc(2026, 1, 25), window.Start);
        Assert.Equal(Utc(2026, 1, 25, 23, 59, 59), window.NextRotationDate);
    }

    [Fact]
    public void NextWindow_RateInHours_OpensEveryNHoursFromMidnight()
    {
        var schedule = Schedule("rate(4 hours)");

        var window = schedule.NextWindow(Utc(2026, 1, 15, 9, 30), Utc(2026, 1, 15, 9, 30));

        Assert.Equal(Utc(2026, 1, 15, 12), window.Start);
        Assert.Equal(Utc(2026, 1, 15, 12, 59, 59), window.NextRotationDate);
    }

    [Fact]
    public void NextWindow_RateInHoursNotDividingTheDay_RestartsAtMidnight()
    {
        var window = Schedule("rate(5 hours)").NextWindow(Utc(2026, 1, 15, 21), Utc(2026, 1, 15, 21));

        Assert.Equal(Utc(2026, 1, 16), window.Start);
    }

    [Fact]
    public void NextWindow_Overdue_ReturnsTheWindowStillOpen()
    {
        // Last rotated 40 days ago with a 30-day schedule: today's window, not one in the past.
        var window = Schedule(days: 30).NextWindow(Utc(2025, 12, 6, 8), Utc(2026, 1, 15, 10));

        Assert.Equal(Utc(2026, 1, 15), window.Start);
        Assert.Equal(Utc(2026, 1, 15, 23, 59, 59), window.NextRotationDate);
    }

    [Fact]
    public void WindowEndingAt_NextRotationDate_FindsItsWindow()
    {
        var schedule = Schedule("cron(0 4/12 * * ? *)", duration: "2h");
        var window = schedule.NextWindow(Utc(2026, 1, 15, 5), Utc(2026, 1, 15, 5));

        Assert.Equal(window, schedule.WindowEndingAt(window.NextRotationDate));
        Assert.Null(schedule.WindowEndingAt(Utc(2026, 1, 15, 10, 59, 59)));
    }

    [Fact]
    public void Describe_RateInDays_ReportsAutomaticallyAfterDays()
    {
        var rules = new RotationRules(null, null, "rate(10 days)");

        Assert.Equal(10, RotationSchedule.Parse(rules)!.Describe(rules).AutomaticallyAfterDays);
        Assert.NotNull(RotationSchedule.FromStored(rules with { AutomaticallyAfterDays = 10 }));
    }

    [Fact]
    public void Parse_BothFrequencyAndExpression_ReturnsAwsError()
    {
        var error = Assert.Throws<AwsException>(() => Schedule("rate(10 days)", days: 10));

        Assert.Equal("InvalidParameterException", error.Code);
        Assert.Equal("You cannot specify both rotation frequency and schedule expression together.", error.Message);
    }

    [Theory]
    [InlineData(0L, "1 validation error detected: Value '0' at 'rotationRules.automaticallyAfterDays' failed to satisfy constraint: Member must have value greater than or equal to 1")]
    [InlineData(1001L, "1 validation error detected: Value '1001' at 'rotationRules.automaticallyAfterDays' failed to satisfy constraint: Member must have value less than or equal to 1000")]
    public void Parse_AutomaticallyAfterDaysOutOfRange_ReturnsValidationException(long days, string message)
    {
        var error = Assert.Throws<AwsException>(() => Schedule(days: days));

        Assert.Equal("ValidationException", error.Code);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("rate(2 hours)")]
    [InlineData("rate(24 hours)")]
    [InlineData("rate(1000 days)")]
    [InlineData("rate(0 days)")]
    [InlineData("rate(5 minutes)")]
    [InlineData("cron(30 10 * * ? *)")]
    [InlineData("cron(0 10 * * ? 2026)")]
    [InlineData("cron(0 10 1 * MON *)")]
    [InlineData("cron(0 10 ? * ? *)")]
    [InlineData("cron(0 24 * * ? *)")]
    [InlineData("cron(0 10 * 13 ? *)")]
    [InlineData("cron(0 10 * * ?)")]
    [InlineData("cron(0 10 ? * MON#6 *)")]
    [InlineData("at(2026)")]
    public void Parse_InvalidExpression_ReturnsInvalidParameter(string expression)
    {
        var error = Assert.Throws<AwsException>(() => Schedule(expression));

        Assert.Equal("InvalidParameterException", error.Code);
    }

    [Theory]
    [InlineData("cron(0 22 * * ? *)", "3h")] // into the next UTC day
    [InlineData("rate(4 hours)", "5h")] // into the next window
    [InlineData("cron(0 4/12 * * ? *)", "13h")]
    [InlineData("rate(1 day)", "25h")]
    [InlineData("rate(1 day)", "0h")]
    public void Parse_WindowTooLong_ReturnsInvalidParameter(string expression, string duration)
    {
        var error = Assert.Throws<AwsException>(() => Schedule(expression, duration: duration));

        Assert.Equal("InvalidParameterException", error.Code);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("h")]
    [InlineData("100h")]
    public void Parse_DurationBreakingTheModel_ReturnsValidationException(string duration)
    {
        var error = Assert.Throws<AwsException>(() => Schedule("rate(1 day)", duration: duration));

        Assert.Equal("ValidationException", error.Code);
    }

    [Fact]
    public void Parse_NoRules_ReturnsNull()
    {
        Assert.Null(RotationSchedule.Parse(null));
        Assert.Null(RotationSchedule.Parse(new RotationRules(null, null, null)));
    }
}
