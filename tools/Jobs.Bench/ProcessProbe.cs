using System.Globalization;

namespace Jobs.Bench;

/// <summary>
/// What /proc tells about a process of the system under test, read from outside it: which process listens on a port,
/// its resident memory and its CPU time. Linux only, like the machine the targets are stated for.
/// </summary>
internal static class ProcessProbe
{
    // USER_HZ: the unit of utime and stime in /proc/<pid>/stat; 100 on every Linux this runs on.
    private const double ClockTicksPerSecond = 100;

    /// <summary>The process listening on the TCP <paramref name="port"/>: its socket's inode, then the process holding it.</summary>
    public static int? FindListening(int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
        {
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = columns[1];
                if (columns[3] == "0A" // TCP_LISTEN
                    && int.Parse(local[(local.IndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
                {
                    inodes.Add($"socket:[{columns[9]}]");
                }
            }
        }

        if (inodes.Count == 0)
        {
            return null;
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                if (Directory.EnumerateFileSystemEntries(Path.Combine(directory, "fd")).Any(fd => new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target)))
                {
                    return pid;
                }
            }
            catch (Exception e) when (e is UnauthorizedAccessException or DirectoryNotFoundException or IOException)
            {
                // Another user's process, or one that just exited.
            }
        }

        return null;
    }

    /// <summary>VmRSS, RssAnon and VmHWM (peak RSS) from /proc/&lt;pid&gt;/status, in KiB.</summary>
    public static ProcessMemory ReadMemory(int pid)
    {
        long Field(string[] lines, string name) =>
            lines.FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal)) is { } line
                ? long.Parse(line[(name.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)
                : 0;

        var status = File.ReadAllLines($"/proc/{pid}/status");
        return new ProcessMemory(Field(status, "VmRSS"), Field(status, "RssAnon"), Field(status, "VmHWM"), Field(status, "Threads"));
    }

    /// <summary>User + system CPU time the process has used so far.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may contain spaces; the fields after its closing parenthesis start at state (3).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / ClockTicksPerSecond);
    }

    /// <summary>The whole machine's busy and total CPU time so far (the first line of /proc/stat), in clock ticks.</summary>
    public static (long Busy, long Total) MachineCpu()
    {
        // cpu user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Take(8).Sum();
        return (total - fields[3] - fields[4], total);
    }

    /// <summary>How busy the machine was between two <see cref="MachineCpu"/> readings, 0 to 1.</summary>
    public static double MachineBusy((long Busy, long Total) from, (long Busy, long Total) to) =>
        to.Total == from.Total ? 0 : (to.Busy - from.Busy) / (double)(to.Total - from.Total);

    /// <summary>The process's pid: <paramref name="explicitPid"/> when given, else whoever listens on the URL's port.</summary>
    public static int Resolve(string? explicitPid, Uri url, string what) =>
        explicitPid is not null
            ? int.Parse(explicitPid, CultureInfo.InvariantCulture)
            : FindListening(url.Port) ?? throw new BenchArgumentException($"No process listens on port {url.Port} ({what}); pass its pid.");
}
