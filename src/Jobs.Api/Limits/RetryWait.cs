using System.Globalization;

namespace Jobs.Api.Limits;

/// <summary>
/// How long to wait, in the words a person reads in a 429's detail: "12 seconds", "49 minutes", "60 minutes" (an hour's
/// window, just filled), "2 hours 5 minutes".
/// Rounded up, so that trying again when it says never meets the limit again; <c>Retry-After</c> keeps the seconds.
/// </summary>
public static class RetryWait
{
    public static string Describe(int seconds)
    {
        if (seconds < 60)
        {
            return Unit(Math.Max(1, seconds), "second");
        }

        var minutes = (seconds + 59) / 60;
        if (minutes <= 60)
        {
            return Unit(minutes, "minute");
        }

        var (hours, rest) = (minutes / 60, minutes % 60);
        return rest == 0 ? Unit(hours, "hour") : $"{Unit(hours, "hour")} {Unit(rest, "minute")}";
    }

    private static string Unit(int count, string unit) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? unit : unit + "s");
}
