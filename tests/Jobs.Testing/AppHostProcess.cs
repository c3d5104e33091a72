using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Jobs.Testing;

/// <summary>
/// The built Jobs.AppHost run as a real process, as <c>./run.sh</c> runs it. Its last output lines are kept for failure
/// messages and each line goes to an optional sink (a test's output, a log file). Disposing stops it with SIGTERM, and
/// its whole tree with SIGKILL if it hangs, so a test that failed half-way still leaves nothing running.
/// </summary>
public sealed class AppHostProcess : IAsyncDisposable
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    // The whole topology logs for minutes in the end-to-end tests; only the end matters for a failure message.
    private const int KeptLines = 2000;
    private const int TailLines = 150;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly Queue<string> _lines = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource Seen)> _waiters = [];
    private Action<string>? _onLine;

    private AppHostProcess(Process process, Action<string>? onLine)
    {
        _process = process;
        _onLine = onLine;
    }

    /// <summary>Recorded at build time by this project (RecordAppHostPath), so no test guesses at output folders.</summary>
    public static string DllPath { get; } = typeof(AppHostProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "AppHostPath").Value!;

    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    /// <summary>The lines kept so far (the last 2,000), oldest first.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>The last lines, for failure messages.</summary>
    public string Tail
    {
        get
        {
            lock (_gate)
            {
                return string.Join(Environment.NewLine, _lines.TakeLast(TailLines));
            }
        }
    }

    /// <param name="onLine">
    /// Gets every line of stdout and stderr, one at a time and in the order they are kept, so it needs no lock of its
    /// own; it is not called once <see cref="DisposeAsync"/> has returned.
    /// </param>
    public static AppHostProcess Start(IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments, Action<string>? onLine)
    {
        if (!File.Exists(DllPath))
        {
            throw new FileNotFoundException($"{DllPath} is missing; build the solution (or the test project) first.", DllPath);
        }

        // The dotnet that runs the tests (dotnet test sets DOTNET_HOST_PATH), not whichever one is first on PATH.
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } muxer ? muxer : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var host = new AppHostProcess(process, onLine);
        process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>
    /// Returns once a line <paramref name="match"/> accepts has been printed (one still kept counts); throws with the
    /// tail if the AppHost exits first or <paramref name="timeout"/> passes.
    /// </summary>
    public async Task WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken ct)
    {
        // Lines are matched as they arrive, not only by looking through what is kept: a busy start could push the
        // line out of the bounded buffer between two looks.
        var waiter = (Match: match, Seen: new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_gate)
        {
            if (_lines.Any(match))
            {
                return;
            }

            _waiters.Add(waiter);
        }

        try
        {
            var clock = Stopwatch.StartNew();
            while (!waiter.Seen.Task.IsCompleted)
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException(
                        $"The AppHost exited with code {_process.ExitCode} before the expected line:{Environment.NewLine}{Tail}");
                }

                if (clock.Elapsed > timeout)
                {
                    throw new TimeoutException($"No expected line from the AppHost within {timeout.TotalSeconds:0} s:{Environment.NewLine}{Tail}");
                }

                // Exit is polled: Process's own wait also waits for the output to end, which children may hold open.
                await Task.WhenAny(waiter.Seen.Task, Task.Delay(200, ct));
                ct.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>Signals the AppHost alone: stopping its children is its own job, which tests check.</summary>
    public void Signal(int signal)
    {
        if (NativeKill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <returns>Whether it exited within the timeout.</returns>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        await Task.WhenAny(_process.WaitForExitAsync(), Task.Delay(timeout));
        return _process.HasExited;
    }

    /// <summary>SIGTERM, as Ctrl-C or a process manager would; SIGKILL for the whole tree if it hangs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // Read before the stop: once the AppHost is gone, its children are re-parented and no longer found under it.
            var tree = ProcessTree.Descendants(_process.Id);
            // Not Signal: the AppHost may have exited since the look above, and then there is nothing to stop.
            NativeKill(_process.Id, SigTerm);
            if (!await WaitForExitAsync(StopTimeout))
            {
                foreach (var pid in tree.Append(_process.Id))
                {
                    NativeKill(pid, SigKill);
                }
            }
        }

        // Lines still on their way are kept but passed on no more: the caller may now close what its sink writes to.
        lock (_gate)
        {
            _onLine = null;
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        // null marks the end of the stream.
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Enqueue(line);
            if (_lines.Count > KeptLines)
            {
                _lines.Dequeue();
            }

            foreach (var (_, seen) in _waiters.Where(w => w.Match(line)))
            {
                seen.TrySetResult();
            }

            try
            {
                _onLine?.Invoke(line);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException)
            {
                // This runs on a thread-pool callback, where a throw would end the whole test run: e.g. ITestOutputHelper
                // once its test has finished, or a full disk. The line is still kept above.
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int NativeKill(int pid, int signal);
}
