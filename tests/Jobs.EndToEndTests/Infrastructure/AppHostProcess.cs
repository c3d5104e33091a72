using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Jobs.EndToEndTests.Infrastructure;

/// <summary>
/// The built Jobs.AppHost run as a real process, as <c>./run.sh</c> runs it (the approach of
/// tests/Jobs.AppHost.Tests): its output kept in memory and in a log file, stopped with SIGTERM.
/// </summary>
internal sealed class AppHostProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly StreamWriter _log;

    private AppHostProcess(Process process, string logPath)
    {
        _process = process;
        _log = new StreamWriter(logPath) { AutoFlush = true };
    }

    /// <summary>The last lines, for failure messages.</summary>
    public string Tail => string.Join(Environment.NewLine, _lines.TakeLast(120));

    public static AppHostProcess Start(string dll, IReadOnlyDictionary<string, string> environment, string logPath)
    {
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing; build the solution (or this test project) first.");
        }

        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } muxer ? muxer : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var host = new AppHostProcess(process, logPath);
        process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    public async Task WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!_lines.Any(match))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The AppHost exited with code {_process.ExitCode}:{Environment.NewLine}{Tail}");
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"The AppHost was not ready within {timeout.TotalSeconds:0} s:{Environment.NewLine}{Tail}");
            }

            await Task.Delay(200, ct);
        }
    }

    /// <summary>SIGTERM, as Ctrl-C or a process manager would; SIGKILL for the whole tree if it hangs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            var tree = Descendants(_process.Id);
            Kill(_process.Id, SigTerm);
            await Task.WhenAny(_process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(30)));
            if (!_process.HasExited)
            {
                foreach (var pid in tree.Append(_process.Id))
                {
                    Kill(pid, SigKill);
                }
            }
        }

        _process.Dispose();
        await _log.DisposeAsync();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        while (_lines.Count > 2000 && _lines.TryDequeue(out _))
        {
        }

        lock (_log)
        {
            _log.WriteLine(line);
        }
    }

    // Read from /proc before the stop, so a hang can still be cleaned up after the parent is gone.
    private static List<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(directory), out var pid))
                {
                    var stat = File.ReadAllText($"/proc/{pid}/stat");
                    parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // The process ended while we looked.
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

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
