using Jobs.Hosting.Local;

namespace Jobs.Hosting.AppModel;

/// <summary>
/// Children run in their own sessions (so a terminal's Ctrl-C reaches only the AppHost, which stops them in
/// order), which also means nothing stops them if the AppHost is killed outright. A small shell watches the
/// AppHost's pid and, once it is gone, signals every pid recorded here, then kills what is left after ten seconds.
/// </summary>
internal sealed class OrphanGuard : IDisposable
{
    private const string Script = """
        host=$1; file=$2
        while kill -0 "$host" 2>/dev/null; do sleep 1; done
        [ -s "$file" ] || { rm -f "$file"; exit 0; }
        while read -r pid sig; do kill -s "$sig" "$pid" 2>/dev/null; done < "$file"
        for _ in $(seq 20); do
          alive=0
          while read -r pid sig; do kill -0 "$pid" 2>/dev/null && alive=1; done < "$file"
          [ "$alive" = 0 ] && break
          sleep 0.5
        done
        while read -r pid sig; do kill -s KILL "$pid" 2>/dev/null; done < "$file"
        rm -f "$file"
        """;

    private readonly string _pidFile;
    private readonly ChildProcess _watcher;
    private readonly Lock _gate = new();

    public OrphanGuard(string directory)
    {
        _pidFile = Path.Combine(directory, $"apphost-{Environment.ProcessId}.pids");
        File.WriteAllText(_pidFile, "");
        _watcher = ChildProcess.Start(
            "bash",
            ["-c", Script, "jobs-orphan-guard", Environment.ProcessId.ToString(), _pidFile],
            newSession: true);
    }

    /// <param name="signal">The signal that stops the process cleanly: INT for PostgreSQL, TERM for the rest.</param>
    public void Track(int pid, string signal)
    {
        lock (_gate)
        {
            File.AppendAllText(_pidFile, $"{pid} {signal}\n");
        }
    }

    public void Dispose()
    {
        _watcher.Dispose();
        File.Delete(_pidFile);
    }
}
