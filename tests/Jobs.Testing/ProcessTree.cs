namespace Jobs.Testing;

/// <summary>
/// Reads /proc: which processes descend from a pid, whether one is still alive, what it runs. The AppHost starts
/// servers and services as children; tests and <see cref="AppHostProcess"/> need them to prove or ensure nothing is left.
/// </summary>
public static class ProcessTree
{
    /// <summary>Read before a stop: once a parent is gone, its children are re-parented and no longer found under it.</summary>
    public static IReadOnlyList<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && Stat(pid) is { } stat)
            {
                parents[pid] = stat.ParentId;
            }
        }

        var found = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var (pid, _) in parents.Where(p => p.Value == parent))
            {
                found.Add(pid);
                frontier.Enqueue(pid);
            }
        }

        return found;
    }

    /// <summary>
    /// Every live process whose environment holds <c>name=value</c>. Children inherit their parent's environment, so a
    /// variable only one run sets finds all that run started, whoever their parent is now (DCP detaches itself).
    /// </summary>
    public static IReadOnlyList<int> WithEnvironmentVariable(string name, string value)
    {
        var entry = $"{name}={value}";
        return [.. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && pid != Environment.ProcessId && IsAlive(pid) && Environ(pid).Contains(entry))];
    }

    /// <summary>A zombie has finished; only its parent's bookkeeping is left.</summary>
    public static bool IsAlive(int pid) => Stat(pid) is { State: not ('Z' or 'X') };

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            // The process ended while we looked: nothing to match against.
            return "";
        }
    }

    private static string[] Environ(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/environ").Split('\0');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Ended while we looked, or another user's process.
            return [];
        }
    }

    // "pid (comm) S ppid …": comm may hold spaces and parentheses, so fields are read after the last ')'.
    private static (char State, int ParentId)? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (fields[0][0], int.Parse(fields[1]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // The process ended while we looked.
            return null;
        }
    }
}
