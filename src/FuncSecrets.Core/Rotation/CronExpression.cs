using System.Globalization;

namespace FuncSecrets.Core.Rotation;

/// <summary>
/// A Secrets Manager rotation <c>cron(Minutes Hours Day-of-month Month Day-of-week Year)</c>
/// expression, UTC. The rules are AWS's for rotation ("Rotation schedules", Secrets Manager User
/// Guide): minutes must be <c>0</c> (windows open on the hour), year must be <c>*</c>; hours take
/// <c>, - * /</c>; day-of-month <c>, - * ? / L W</c>; month 1–12 or JAN–DEC with <c>, - * /</c>;
/// day-of-week 1–7 (1 = SUN) or SUN–SAT with <c>, - * ? / L #</c>. One of the two day fields
/// is <c>?</c> (AWS's own example <c>cron(0 1 * 1/3 SUN *)</c> shows <c>*</c> is read the same
/// way when the other day field is specific).
/// </summary>
public sealed class CronExpression
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    // The furthest a match can be: 29 February recurs within 8 years (1900-rule gaps included).
    private const int MaxSearchDays = 366 * 8 + 2;

    private readonly bool[] _hours;
    private readonly bool[] _months;
    private readonly DayRule _days;

    private CronExpression(bool[] hours, bool[] months, DayRule days, string text)
    {
        _hours = hours;
        _months = months;
        _days = days;
        Text = text;
        Hours = Enumerable.Range(0, 24).Where(h => hours[h]).ToArray();
    }

    /// <summary>The expression as given, <c>cron(...)</c>.</summary>
    public string Text { get; }

    /// <summary>The hours of the day (UTC) at which a window opens on a matching day, ascending.</summary>
    public IReadOnlyList<int> Hours { get; }

    /// <summary>
    /// A schedule "in hours" opens more than one window a day; its default window is one hour.
    /// A schedule in days opens one, and its default window lasts to the end of that UTC day.
    /// </summary>
    public bool IsHourly => Hours.Count > 1;

    /// <summary>Parses the six fields inside <c>cron(...)</c>; throws <see cref="FormatException"/> with the reason.</summary>
    public static CronExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var inner = text.Trim();
        if (!inner.StartsWith("cron(", StringComparison.Ordinal) || !inner.EndsWith(')'))
        {
            throw new FormatException("a cron expression has the form cron(Minutes Hours Day-of-month Month Day-of-week Year)");
        }

        var fields = inner[5..^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6)
        {
            throw new FormatException("a cron expression has six fields: Minutes Hours Day-of-month Month Day-of-week Year");
        }

        if (fields[0] != "0")
        {
            throw new FormatException("the Minutes field must be 0, because rotation windows open on the hour");
        }

        if (fields[5] != "*")
        {
            throw new FormatException("the Year field must be *");
        }

        var hours = ParseSet(fields[1], 0, 23, null, "Hours");
        var months = ParseSet(fields[3], 1, 12, MonthNames, "Month");
        var days = ParseDays(fields[2], fields[4]);
        return new CronExpression(hours, months, days, inner);
    }

    /// <summary>The first window opening (on the hour) strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset after)
    {
        var utc = after.ToUniversalTime();
        var day = new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < MaxSearchDays; i++, day = day.AddDays(1))
        {
            if (!_months[day.Month] || !_days.Matches(day))
            {
                continue;
            }

            foreach (var hour in Hours)
            {
                var start = day.AddHours(hour);
                if (start > utc)
                {
                    return start;
                }
            }
        }

        throw new FormatException("the cron expression never matches a date");
    }

    private static DayRule ParseDays(string dayOfMonth, string dayOfWeek)
    {
        var domOpen = dayOfMonth is "?" or "*";
        var dowOpen = dayOfWeek is "?" or "*";
        if (dayOfMonth == "?" && dayOfWeek == "?")
        {
            throw new FormatException("only one of Day-of-month and Day-of-week can be ?");
        }

        if (!domOpen && !dowOpen)
        {
            throw new FormatException("you can't specify both Day-of-month and Day-of-week: use ? in one of them");
        }

        if (!dowOpen)
        {
            return ParseDayOfWeek(dayOfWeek);
        }

        return domOpen ? DayRule.Every : ParseDayOfMonth(dayOfMonth);
    }

    private static DayRule ParseDayOfMonth(string field)
    {
        if (field == "L")
        {
            return new DayRule(day => day.Day == DateTime.DaysInMonth(day.Year, day.Month));
        }

        if (field == "LW")
        {
            return new DayRule(day => day.Day == LastWeekday(day.Year, day.Month));
        }

        if (field.EndsWith('W'))
        {
            // nW: the weekday nearest to day n, never leaving the month (Quartz/EventBridge rule).
            var n = ParseNumber(field[..^1], 1, 31, null, "Day-of-month");
            return new DayRule(day => day.Day == NearestWeekday(day.Year, day.Month, n));
        }

        var days = ParseSet(field, 1, 31, null, "Day-of-month");
        return new DayRule(day => days[day.Day]);
    }

    private static DayRule ParseDayOfWeek(string field)
    {
        if (field == "L")
        {
            // L alone in Day-of-week is the last day of the week: Saturday.
            return new DayRule(day => day.DayOfWeek == DayOfWeek.Saturday);
        }

        var hash = field.IndexOf('#', StringComparison.Ordinal);
        if (hash > 0)
        {
            // TUE#3: the third Tuesday of the month.
            var weekday = (DayOfWeek)(ParseNumber(field[..hash], 1, 7, DayNames, "Day-of-week") - 1);
            var nth = ParseNumber(field[(hash + 1)..], 1, 5, null, "Day-of-week");
            return new DayRule(day => day.DayOfWeek == weekday && (day.Day - 1) / 7 == nth - 1);
        }

        if (field.Length > 1 && field.EndsWith('L'))
        {
            // 6L or FRIL: the last Friday of the month.
            var weekday = (DayOfWeek)(ParseNumber(field[..^1], 1, 7, DayNames, "Day-of-week") - 1);
            return new DayRule(day => day.DayOfWeek == weekday && day.Day + 7 > DateTime.DaysInMonth(day.Year, day.Month));
        }

        var days = ParseSet(field, 1, 7, DayNames, "Day-of-week");
        return new DayRule(day => days[(int)day.DayOfWeek + 1]);
    }

    /// <summary>A list of <c>*</c>, values, ranges <c>a-b</c> and increments <c>a/n</c>, <c>*/n</c>, <c>a-b/n</c>.</summary>
    private static bool[] ParseSet(string field, int min, int max, string[]? names, string fieldName)
    {
        var set = new bool[max + 1];
        foreach (var part in field.Split(','))
        {
            if (part.Length == 0)
            {
                throw new FormatException($"the {fieldName} field has an empty list element");
            }

            var step = 1;
            var range = part;
            var slash = part.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                step = ParseNumber(part[(slash + 1)..], 1, max, null, fieldName);
                range = part[..slash];
            }

            int from;
            int to;
            if (range == "*")
            {
                (from, to) = (min, max);
            }
            else if (range.IndexOf('-', StringComparison.Ordinal) is var dash and > 0)
            {
                from = ParseNumber(range[..dash], min, max, names, fieldName);
                to = ParseNumber(range[(dash + 1)..], min, max, names, fieldName);
                if (to < from)
                {
                    throw new FormatException($"the {fieldName} range {range} runs backwards");
                }
            }
            else
            {
                from = ParseNumber(range, min, max, names, fieldName);

                // "a/n" runs from a to the end of the field; a plain value is itself.
                to = slash >= 0 ? max : from;
            }

            for (var value = from; value <= to; value += step)
            {
                set[value] = true;
            }
        }

        return set;
    }

    private static int ParseNumber(string text, int min, int max, string[]? names, string fieldName)
    {
        if (names is not null)
        {
            var index = Array.IndexOf(names, text.ToUpperInvariant());
            if (index >= 0)
            {
                return index + min;
            }
        }

        if (text.Length is > 0 and <= 4
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            && value >= min && value <= max)
        {
            return value;
        }

        throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"the {fieldName} field value '{text}' is not between {min} and {max}"));
    }

    private static int LastWeekday(int year, int month)
    {
        var last = new DateTime(year, month, DateTime.DaysInMonth(year, month), 0, 0, 0, DateTimeKind.Utc);
        return last.DayOfWeek switch
        {
            DayOfWeek.Saturday => last.Day - 1,
            DayOfWeek.Sunday => last.Day - 2,
            _ => last.Day,
        };
    }

    private static int NearestWeekday(int year, int month, int n)
    {
        var daysInMonth = DateTime.DaysInMonth(year, month);
        var target = Math.Min(n, daysInMonth);
        var date = new DateTime(year, month, target, 0, 0, 0, DateTimeKind.Utc);
        return date.DayOfWeek switch
        {
            // Saturday: the Friday before, unless that leaves the month (1st → Monday the 3rd).
            DayOfWeek.Saturday => target == 1 ? 3 : target - 1,

            // Sunday: the Monday after, unless that leaves the month (then Friday before).
            DayOfWeek.Sunday => target == daysInMonth ? target - 2 : target + 1,
            _ => target,
        };
    }

    /// <summary>Which days of a month match the two day fields together.</summary>
    private sealed class DayRule(Func<DateTimeOffset, bool> matches)
    {
        public static DayRule Every { get; } = new(_ => true);

        public bool Matches(DateTimeOffset day) => matches(day);
    }
}
