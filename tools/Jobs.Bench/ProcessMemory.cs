namespace Jobs.Bench;

/// <summary>A process's memory as /proc/&lt;pid&gt;/status reports it, in KiB.</summary>
internal sealed record ProcessMemory(long RssKiB, long RssAnonKiB, long PeakRssKiB, long Threads)
{
    public static string MiB(long kib) => (kib / 1024.0).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);

    public override string ToString() => $"rss {MiB(RssKiB)} MiB (anon {MiB(RssAnonKiB)}, peak {MiB(PeakRssKiB)}), {Threads} threads";
}
