using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Jobs.Web.Components.Display;

/// <summary>How numbers, money, durations and names read on screen. Invariant culture: the app ships in English.</summary>
public static partial class DisplayFormat
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Metrics named <c>total_cost</c> or <c>*_cost</c> are US dollars (the workloads' convention).</summary>
    public static bool IsMoney(string metricName) =>
        metricName.Equals("total_cost", StringComparison.OrdinalIgnoreCase) || metricName.EndsWith("_cost", StringComparison.OrdinalIgnoreCase);

    /// <summary>An amount spent, in dollars and cents ($0.60, $1,234.50); under half a cent, "&lt; $0.01" rather than $0.00.</summary>
    public static string Money(decimal amount) =>
        amount > 0m && amount < 0.005m ? "< $0.01" : amount.ToString("$#,##0.00", Culture);

    /// <summary>
    /// The cost of one unit (a lead, a call), which may be a fraction of a cent: small amounts keep four decimals
    /// ($0.0420).
    /// </summary>
    public static string UnitMoney(decimal amount) =>
        Math.Abs(amount) < 1m ? amount.ToString("$0.0000", Culture) : amount.ToString("$#,##0.00", Culture);

    /// <summary>Metrics named <c>bytes</c> or <c>*_bytes</c> are sizes.</summary>
    public static bool IsBytes(string metricName) =>
        metricName.Equals("bytes", StringComparison.OrdinalIgnoreCase) || metricName.EndsWith("_bytes", StringComparison.OrdinalIgnoreCase);

    public static string Metric(string name, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when IsMoney(name) && value.TryGetDecimal(out var amount) => Money(amount),
        JsonValueKind.Number when IsBytes(name) && value.TryGetInt64(out var size) => Bytes(size),
        JsonValueKind.Number when value.TryGetInt64(out var whole) => whole.ToString("#,##0", Culture),
        JsonValueKind.Number => value.GetDouble().ToString("#,##0.###", Culture),
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Null => "—",
        _ => value.GetRawText(),
    };

    /// <summary>An API message ("must be at most 100.") as a sentence on its own: its first letter a capital.</summary>
    public static string Sentence(string message) => message.Length == 0 ? message : char.ToUpperInvariant(message[0]) + message[1..];

    /// <summary><c>businesses_found</c> → "Businesses found", <c>avgConfidence</c> → "Avg confidence".</summary>
    public static string Label(string name)
    {
        var spaced = WordBoundary().Replace(name, " ").Replace('_', ' ').Replace('-', ' ').Trim().ToLowerInvariant();
        return spaced.Length == 0 ? name : char.ToUpperInvariant(spaced[0]) + spaced[1..];
    }

    /// <summary>"42 s", "3 min 05 s", "2 h 07 min".</summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        return duration.TotalSeconds < 60 ? $"{duration.TotalSeconds:0} s"
            : duration.TotalMinutes < 60 ? $"{(int)duration.TotalMinutes} min {duration.Seconds:00} s"
            : $"{(int)duration.TotalHours} h {duration.Minutes:00} min";
    }

    public static string Seconds(double? seconds) =>
        seconds is { } s ? (s < 10 ? s.ToString("0.00", Culture) : s.ToString("#,##0.0", Culture)) + " s" : "—";

    public static string Count(long? value) => value is { } v ? v.ToString("#,##0", Culture) : "—";

    /// <summary>
    /// How long until something frees, as a person reads a wait: "40 seconds", "49 minutes", "60 minutes", "2 hours
    /// 5 minutes"; rounded up, so that it is never sooner than said.
    /// </summary>
    public static string Wait(TimeSpan wait)
    {
        var seconds = (int)Math.Ceiling(Math.Max(1, wait.TotalSeconds));
        if (seconds < 60)
        {
            return Plural(seconds, "second");
        }

        var minutes = (seconds + 59) / 60;
        return minutes <= 60 ? Plural(minutes, "minute")
            : minutes % 60 == 0 ? Plural(minutes / 60, "hour")
            : $"{Plural(minutes / 60, "hour")} {Plural(minutes % 60, "minute")}";
    }

    /// <summary>"1 contact", "1,000 contacts".</summary>
    public static string Plural(long count, string noun) => $"{Count(count)} {(count == 1 ? noun : noun + "s")}";

    /// <summary>A file's size the way people read it: 812 B, 14.2 KB, 3.1 MB, 1 GB.</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.#", Culture) + " KB",
        < 1024 * 1024 * 1024 => (bytes / (1024.0 * 1024.0)).ToString("0.#", Culture) + " MB",
        _ => (bytes / (1024.0 * 1024.0 * 1024.0)).ToString("0.#", Culture) + " GB",
    };

    public static string Time(DateTimeOffset? at) => at is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", Culture) : "—";

    /// <summary>The time of day in UTC, for events of the last hours; <see cref="Time"/> has the date too.</summary>
    public static string ClockTime(DateTimeOffset at) => at.ToUniversalTime().ToString("HH:mm:ss", Culture);

    /// <summary>"12 s ago", "5 min ago": when something happened, relative to now.</summary>
    public static string Ago(DateTimeOffset at, DateTimeOffset now) => Duration(now - at) + " ago";

    public static string PrettyJson(JsonElement json) => JsonSerializer.Serialize(json, Indented);

    [GeneratedRegex("(?<=[a-z0-9])(?=[A-Z])")]
    private static partial Regex WordBoundary();
}
