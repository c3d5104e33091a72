using System.Globalization;

namespace Jobs.Cron;

/// <summary>
/// A cron expression in words for people ("every weekday at 09:00 (Europe/Berlin)", "every 15 minutes", "at 02:30 on
/// day 1 of the month"). Only the common forms are described; anything else is answered with the expression itself,
/// which is never wrong.
/// </summary>
public static class CronDescription
{
    private static readonly string[] DayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] DayAbbreviations = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    private static readonly string[] MonthAbbreviations = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

    private static readonly Dictionary<string, string> Macros = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@every_second"] = "* * * * * *",
        ["@every_minute"] = "* * * * *",
        ["@hourly"] = "0 * * * *",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@weekly"] = "0 0 * * 0",
        ["@monthly"] = "0 0 1 * *",
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
    };

    /// <summary>
    /// Describes <paramref name="cron"/>; a description that names a time of day ends with <paramref name="timeZone"/>
    /// in parentheses.
    /// </summary>
    public static string Describe(string cron, string timeZone)
    {
        var text = cron.Trim();
        var fields = (Macros.GetValueOrDefault(text) ?? text).Split(' ', '\t', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 5)
        {
            fields = ["0", .. fields];
        }

        return fields.Length == 6 ? DescribeFields(fields, timeZone) ?? text : text;
    }

    private static string? DescribeFields(string[] f, string timeZone)
    {
        var (second, minute, hour, day, month, weekday) = (f[0], f[1], f[2], f[3], f[4], f[5]);
        var everyDay = day == "*" && month == "*" && weekday is "*" or "?";
        if (minute == "*" && hour == "*" && everyDay)
        {
            return second == "0" ? "every minute" : Every(second, "second");
        }

        if (second != "0" && !IsNumber(second, 59))
        {
            return null;
        }

        if (hour == "*" && everyDay && second == "0")
        {
            return minute == "0" ? "every hour"
                : IsNumber(minute, 59) ? $"every hour at minute {minute}"
                : Every(minute, "minute");
        }

        if (IsNumber(minute, 59) && Step(hour) is { } hours && everyDay && second == "0")
        {
            return $"every {hours} hours" + (minute == "0" ? "" : $" at minute {minute}");
        }

        if (!IsNumber(minute, 59) || !IsNumber(hour, 23))
        {
            return null;
        }

        var time = string.Create(CultureInfo.InvariantCulture, $"{int.Parse(hour, CultureInfo.InvariantCulture):00}:{int.Parse(minute, CultureInfo.InvariantCulture):00}")
            + (second == "0" ? "" : string.Create(CultureInfo.InvariantCulture, $":{int.Parse(second, CultureInfo.InvariantCulture):00}"));
        var zone = $" ({timeZone})";
        if (everyDay)
        {
            return $"every day at {time}{zone}";
        }

        if (day == "*" && month == "*" && Weekdays(weekday) is { } days)
        {
            return $"every {days} at {time}{zone}";
        }

        if (IsNumber(day, 31) && int.Parse(day, CultureInfo.InvariantCulture) >= 1 && weekday is "*" or "?")
        {
            if (month == "*")
            {
                return $"at {time} on day {day} of the month{zone}";
            }

            if (Month(month) is { } name)
            {
                return $"at {time} on {day} {name}{zone}";
            }
        }

        return null;
    }

    private static bool IsNumber(string field, int max) =>
        int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= max;

    /// <summary>"*/n" as n (n &gt; 1).</summary>
    private static int? Step(string field) =>
        field.StartsWith("*/", StringComparison.Ordinal) && int.TryParse(field[2..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 1 ? n : null;

    private static string? Every(string field, string unit) =>
        field == "*" ? $"every {unit}" : Step(field) is { } n ? $"every {n} {unit}s" : null;

    /// <summary>A day-of-week field as words: "weekday", "weekend day", or the days' names.</summary>
    private static string? Weekdays(string field)
    {
        var days = new SortedSet<int>();
        foreach (var part in field.Split(','))
        {
            var range = part.Split('-');
            if (range.Length > 2 || Weekday(range[0]) is not { } from || (range.Length == 2 ? Weekday(range[1]) : from) is not { } to || to < from)
            {
                return null;
            }

            for (var d = from; d <= to; d++)
            {
                days.Add(d % 7);
            }
        }

        if (days.SetEquals([1, 2, 3, 4, 5]))
        {
            return "weekday";
        }

        if (days.SetEquals([0, 6]))
        {
            return "Saturday and Sunday";
        }

        var names = days.Select(d => DayNames[d]).ToList();
        return names.Count == 1 ? names[0] : $"{string.Join(", ", names[..^1])} and {names[^1]}";
    }

    private static int? Weekday(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 7 ? n
        : Array.FindIndex(DayAbbreviations, a => a.Equals(value, StringComparison.OrdinalIgnoreCase)) is var i and >= 0 ? i
        : null;

    private static string? Month(string value)
    {
        var index = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 12 ? n - 1
            : Array.FindIndex(MonthAbbreviations, a => a.Equals(value, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(index + 1) : null;
    }
}
