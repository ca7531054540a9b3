using System.Globalization;
using System.Text.RegularExpressions;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;

namespace FuncSecrets.Core.Rotation;

/// <summary>
/// When a secret's rotation windows open and close, from its <see cref="RotationRules"/>, as the
/// Secrets Manager User Guide ("Rotation schedules") and <c>RotationRulesType</c> describe them:
/// <list type="bullet">
/// <item><c>AutomaticallyAfterDays</c> N and <c>rate(N days)</c>: counted from the previous rotation
/// (a manual value change counts as one); the window opens at midnight UTC of that day.</item>
/// <item><c>rate(N hours)</c> (N ≥ 4): windows open at midnight and every N hours after it, the count
/// restarting each UTC day, like <c>cron(0 0/N * * ? *)</c>.</item>
/// <item><c>cron(...)</c>: windows open at each match.</item>
/// </list>
/// A window lasts <c>Duration</c> (1h–24h); by default one hour for a schedule in hours and to the
/// end of the UTC day for a schedule in days. It may not cross into the next UTC day or the next
/// window. <c>NextRotationDate</c> is the window's last second: AWS documents it as "the latest
/// date that rotation will occur" and reports e.g. <c>23:59:59</c> for a day schedule.
/// </summary>
public sealed partial class RotationSchedule
{
    /// <summary>AWS's bounds: <c>AutomaticallyAfterDays</c> 1–1000 (model), rates 4 hours to 999 days (User Guide).</summary>
    public const int MaxAfterDays = 1000;
    public const int MaxRateDays = 999;
    public const int MinRateHours = 4;

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly int _days;
    private readonly int _hours;
    private readonly CronExpression? _cron;
    private readonly TimeSpan? _duration;

    private RotationSchedule(int days, int hours, CronExpression? cron, TimeSpan? duration)
    {
        _days = days;
        _hours = hours;
        _cron = cron;
        _duration = duration;
    }

    /// <summary>True when the next date counts from the previous rotation (days schedules).</summary>
    public bool CountsFromLastRotation => _days > 0;

    /// <summary>
    /// The interval in days a days schedule has (<c>rate(N days)</c> or AutomaticallyAfterDays),
    /// which DescribeSecret reports as <c>AutomaticallyAfterDays</c>; null otherwise.
    /// </summary>
    public int? IntervalDays => _days > 0 ? _days : null;

    /// <summary>
    /// Validates the rules and builds the schedule; null when the rules name no schedule. Errors
    /// are AWS's: a model constraint is a ValidationException, a rule of the service an
    /// InvalidParameterException.
    /// </summary>
    public static RotationSchedule? Parse(RotationRules? rules)
    {
        if (rules is null)
        {
            return null;
        }

        if (rules.AutomaticallyAfterDays is { } after)
        {
            if (after < 1)
            {
                throw AwsErrors.ConstraintViolation("rotationRules.automaticallyAfterDays", "Member must have value greater than or equal to 1", after.ToString(CultureInfo.InvariantCulture));
            }

            if (after > MaxAfterDays)
            {
                throw AwsErrors.ConstraintViolation("rotationRules.automaticallyAfterDays", "Member must have value less than or equal to 1000", after.ToString(CultureInfo.InvariantCulture));
            }
        }

        var duration = ParseDuration(rules.Duration);
        if (rules.ScheduleExpression is { } expression)
        {
            if (expression.Length is < 1 or > 256)
            {
                throw AwsErrors.ConstraintViolation("rotationRules.scheduleExpression", expression.Length < 1
                    ? "Member must have length greater than or equal to 1"
                    : "Member must have length less than or equal to 256");
            }

            if (!ExpressionPattern().IsMatch(expression))
            {
                throw AwsErrors.ConstraintViolation("rotationRules.scheduleExpression", "Member must satisfy regular expression pattern: [0-9A-Za-z\\(\\)#\\?\\*\\-\\/, ]+", expression);
            }

            if (rules.AutomaticallyAfterDays is not null)
            {
                throw AwsErrors.RotationFrequencyAndSchedule();
            }

            return FromExpression(expression.Trim(), duration);
        }

        if (rules.AutomaticallyAfterDays is { } days)
        {
            var schedule = new RotationSchedule((int)days, 0, null, duration);
            schedule.CheckWindow();
            return schedule;
        }

        if (duration is not null)
        {
            throw AwsErrors.InvalidRotationSchedule("A Duration needs a ScheduleExpression or AutomaticallyAfterDays to start from.");
        }

        return null;
    }

    /// <summary>
    /// The schedule of rules already stored with a secret. They were validated when stored; the
    /// AutomaticallyAfterDays that DescribeSecret derives for a <c>rate()</c> is ignored beside it.
    /// </summary>
    public static RotationSchedule? FromStored(RotationRules? rules) =>
        rules is { ScheduleExpression: not null, AutomaticallyAfterDays: not null }
            ? Parse(rules with { AutomaticallyAfterDays = null })
            : Parse(rules);

    /// <summary>
    /// The rules to store and report: as given, plus the AutomaticallyAfterDays AWS reports for a
    /// <c>rate(N days)</c> expression ("calculated from the rotation schedule").
    /// </summary>
    public RotationRules Describe(RotationRules given) =>
        given.ScheduleExpression is not null && IntervalDays is { } days ? given with { AutomaticallyAfterDays = days } : given;

    /// <summary>
    /// The first window opening after <paramref name="lastRotation"/> (for days schedules: N UTC
    /// days after it), or, when that window has already closed by <paramref name="now"/>, the
    /// window in progress or next to open, so a schedule never points into the past.
    /// </summary>
    public RotationWindow NextWindow(DateTimeOffset lastRotation, DateTimeOffset now)
    {
        var window = WindowAfter(lastRotation);
        if (window.End > now)
        {
            return window;
        }

        // Overdue (rotation failed, or a value set long ago): the earliest window still open.
        var today = StartOfDay(now);
        if (CountsFromLastRotation)
        {
            var todayWindow = Window(today);
            return todayWindow.End > now ? todayWindow : Window(today + Day);
        }

        for (var candidate = WindowAfter(now - Day); ; candidate = WindowAfter(candidate.Start))
        {
            if (candidate.End > now)
            {
                return candidate;
            }
        }
    }

    /// <summary>
    /// The window whose <see cref="RotationWindow.NextRotationDate"/> is <paramref name="nextRotationDate"/>,
    /// or null when this schedule has no such window (the date came from other rules).
    /// </summary>
    public RotationWindow? WindowEndingAt(DateTimeOffset nextRotationDate)
    {
        if (CountsFromLastRotation)
        {
            var window = Window(StartOfDay(nextRotationDate));
            return window.NextRotationDate == nextRotationDate ? window : null;
        }

        for (var candidate = WindowAfter(nextRotationDate - Day - Day); candidate.Start <= nextRotationDate; candidate = WindowAfter(candidate.Start))
        {
            if (candidate.NextRotationDate == nextRotationDate)
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The window that starts at <paramref name="start"/>, with this schedule's length.</summary>
    public RotationWindow Window(DateTimeOffset start) => new(start, start + WindowLength(start.Hour));

    private RotationWindow WindowAfter(DateTimeOffset after)
    {
        if (_days > 0)
        {
            return Window(StartOfDay(after) + TimeSpan.FromDays(_days));
        }

        if (_hours > 0)
        {
            // Slots at 0, N, 2N ... hours of each UTC day: the first that opens after `after`.
            var day = StartOfDay(after);
            for (var slot = day; ; slot = slot.AddHours(_hours))
            {
                if (slot.Date != day.Date)
                {
                    slot = StartOfDay(slot);
                    day = slot;
                }

                if (slot > after)
                {
                    return Window(slot);
                }
            }
        }

        return Window(_cron!.NextAfter(after));
    }

    private TimeSpan WindowLength(int startHour)
    {
        if (_duration is { } duration)
        {
            return duration;
        }

        var hourly = _hours > 0 || _cron is { IsHourly: true };
        return hourly ? TimeSpan.FromHours(1) : TimeSpan.FromHours(24 - startHour);
    }

    private static RotationSchedule FromExpression(string expression, TimeSpan? duration)
    {
        RotationSchedule schedule;
        if (expression.StartsWith("rate(", StringComparison.Ordinal))
        {
            var match = RatePattern().Match(expression);
            if (!match.Success)
            {
                throw AwsErrors.InvalidRotationSchedule("A rate expression has the form rate(Value Unit), where Unit is hour, hours, day or days.");
            }

            if (!int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                throw AwsErrors.InvalidRotationSchedule("The Value of a rate expression must be a positive integer.");
            }

            var inHours = match.Groups[2].Value.StartsWith('h');
            if (inHours && (value < MinRateHours || value > 23))
            {
                throw AwsErrors.InvalidRotationSchedule("A rate in hours must be between 4 and 23 hours; you can rotate a secret as often as every four hours.");
            }

            if (!inHours && value > MaxRateDays)
            {
                throw AwsErrors.InvalidRotationSchedule("A rate in days must be between 1 and 999 days.");
            }

            schedule = inHours ? new RotationSchedule(0, value, null, duration) : new RotationSchedule(value, 0, null, duration);
        }
        else if (expression.StartsWith("cron(", StringComparison.Ordinal))
        {
            try
            {
                schedule = new RotationSchedule(0, 0, CronExpression.Parse(expression), duration);
            }
            catch (FormatException error)
            {
                throw AwsErrors.InvalidRotationSchedule($"Invalid cron expression: {error.Message}.");
            }
        }
        else
        {
            throw AwsErrors.InvalidRotationSchedule("A ScheduleExpression must be a rate() or a cron() expression.");
        }

        schedule.CheckWindow();
        return schedule;
    }

    private static TimeSpan? ParseDuration(string? duration)
    {
        if (duration is null)
        {
            return null;
        }

        if (duration.Length is < 2 or > 3 || !DurationPattern().IsMatch(duration))
        {
            throw AwsErrors.ConstraintViolation("rotationRules.duration", duration.Length is < 2 or > 3
                ? (duration.Length < 2 ? "Member must have length greater than or equal to 2" : "Member must have length less than or equal to 3")
                : "Member must satisfy regular expression pattern: [0-9]+h", duration);
        }

        var hours = int.Parse(duration.AsSpan(0, duration.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture);
        if (hours is < 1 or > 24)
        {
            throw AwsErrors.InvalidRotationSchedule("The rotation window Duration must be between 1h and 24h.");
        }

        return TimeSpan.FromHours(hours);
    }

    /// <summary>The window may reach neither into the next UTC day nor into the next window.</summary>
    private void CheckWindow()
    {
        if (_duration is not { } duration)
        {
            return;
        }

        IReadOnlyList<int> starts = _cron is not null ? _cron.Hours
            : _hours > 0 ? Enumerable.Range(0, 24).Where(h => h % _hours == 0).ToArray()
            : [0];
        for (var i = 0; i < starts.Count; i++)
        {
            var end = starts[i] + duration.TotalHours;
            var next = i + 1 < starts.Count ? starts[i + 1] : 24;
            if (end > 24)
            {
                throw AwsErrors.InvalidRotationSchedule("The rotation window must not extend into the next UTC day: the start hour plus the Duration must be 24 hours or less.");
            }

            if (end > next)
            {
                throw AwsErrors.InvalidRotationSchedule("The rotation window must not extend into the next rotation window: the Duration must not be longer than the time between rotations.");
            }
        }
    }

    private static DateTimeOffset StartOfDay(DateTimeOffset time) => new(time.UtcDateTime.Date, TimeSpan.Zero);

    [GeneratedRegex("^rate\\((\\d{1,4}) (hours?|days?)\\)$", RegexOptions.CultureInvariant)]
    private static partial Regex RatePattern();

    [GeneratedRegex("^[0-9]+h$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    [GeneratedRegex("^[0-9A-Za-z\\(\\)#\\?\\*\\-\\/, ]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ExpressionPattern();
}

/// <summary>One rotation window: rotation may happen at any time from <see cref="Start"/> until <see cref="End"/>.</summary>
public readonly record struct RotationWindow(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>What DescribeSecret reports: the window's last second.</summary>
    public DateTimeOffset NextRotationDate => End.AddSeconds(-1);
}
