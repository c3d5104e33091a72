using System.Diagnostics;

namespace Jobs.Hosting.Local;

/// <summary>
/// One child process with its output captured line by line (kept as a tail and forwarded to a sink), stopped by a
/// signal of the caller's choice with a SIGKILL fallback, and killed when this process exits so nothing outlives it.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly LogTail _tail;
    private readonly Action<string>? _output;
    private Task _exited = Task.CompletedTask;

    private ChildProcess(Process process, LogTail tail, Action<string>? output)
    {
        _process = process;
        _tail = tail;
        _output = output;
        Id = process.Id;
        AppDomain.CurrentDomain.ProcessExit += OnOwnerExit;
    }

    public int Id { get; }

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Completes when the process has exited and its output has been read to the end.</summary>
    public Task Exited => _exited;

    public IReadOnlyList<string> RecentOutput => _tail.Snapshot();

    public static ChildProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null,
        Action<string>? output = null,
        int tailLines = 50)
    {
        var info = new ProcessStartInfo
        {
            FileName = fileName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.Start();
        var child = new ChildProcess(process, new LogTail(tailLines), output);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        // Nobody types into a child; closing stdin tells programs that read it (a REPL, a prompt) not to wait.
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Only after the reads began does WaitForExitAsync also wait for the output to be drained.
        child._exited = process.WaitForExitAsync();
        return child;
    }

    /// <summary>Sends <paramref name="signal"/>, waits up to <paramref name="grace"/>, then kills.</summary>
    public async Task StopAsync(int signal, TimeSpan grace)
    {
        if (!_process.HasExited)
        {
            Signals.Send(Id, signal);
            await Task.WhenAny(_exited, Task.Delay(grace));
            if (!_process.HasExited)
            {
                Kill();
            }
        }

        await _exited;
    }

    public void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone: exactly what was wanted.
        }
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnOwnerExit;
        Kill();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _tail.Add(line);
        _output?.Invoke(line);
    }

    // The safety net for an owner that exits without disposing (an unhandled exception, a test host torn down):
    // SIGINT (fast shutdown for PostgreSQL, a clean stop for Redis and .NET) with a short wait keeps PostgreSQL's data consistent, then SIGKILL.
    private void OnOwnerExit(object? sender, EventArgs e)
    {
        if (_process.HasExited)
        {
            return;
        }

        Signals.Send(Id, Signals.Interrupt);
        if (!_process.WaitForExit(TimeSpan.FromSeconds(5)))
        {
            Kill();
        }
    }
}
