using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Jobs.Testing.Processes;

/// <summary>
/// One service (<c>dotnet &lt;dll&gt;</c>) as a real process that faults are injected into with real signals. Its last
/// output lines are kept for failure reports; it is killed when this process exits, so nothing outlives a run.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigCont = 18;
    public const int SigStop = 19;

    private const int KeptLines = 200;
    private readonly Process process;
    private readonly Queue<string> lines = new();
    private readonly Lock gate = new();

    private ServiceProcess(string name, Process process, string? url)
    {
        Name = name;
        this.process = process;
        Url = url;
        Id = process.Id;
        AppDomain.CurrentDomain.ProcessExit += OnOwnerExit;
    }

    public string Name { get; }

    public int Id { get; }

    public string? Url { get; }

    public bool HasExited => process.HasExited;

    public int? ExitCode => process.HasExited ? process.ExitCode : null;

    /// <summary>Started and registered (a worker) or healthy (the API): a fault injected now hits a running service.</summary>
    public bool Ready { get; set; }

    /// <summary>Set by whoever stops it on purpose, so a supervisor tells a deliberate stop from a crash.</summary>
    public bool StoppedOnPurpose { get; set; }

    public string Tail
    {
        get
        {
            lock (gate)
            {
                return string.Join(Environment.NewLine, lines);
            }
        }
    }

    public static ServiceProcess Start(string name, string dll, IReadOnlyDictionary<string, string?> environment, string? url)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is missing; build the project first.", dll);
        }

        // The dotnet that runs us (dotnet test sets DOTNET_HOST_PATH), not whichever one is first on PATH.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var info = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        foreach (var (key, value) in environment)
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
        var service = new ServiceProcess(name, process, url);
        process.OutputDataReceived += (_, e) => service.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => service.OnLine(e.Data);
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>kill(2): SIGKILL, SIGTERM, SIGSTOP, SIGCONT as a crash, a deployment or a long pause would.</summary>
    public void Signal(int signal)
    {
        if (!process.HasExited && NativeKill(Id, signal) != 0 && !process.HasExited)
        {
            throw new InvalidOperationException($"kill({Id}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>kill(2) of any process, such as a server's pid.</summary>
    public static bool Send(int pid, int signal) => NativeKill(pid, signal) == 0;

    /// <returns>Whether it exited within the timeout.</returns>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        // Polled: Process's own wait also waits for the output pipes, which a grandchild could hold open.
        while (!process.HasExited && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return process.HasExited;
    }

    /// <summary>SIGTERM, then SIGKILL once <paramref name="grace"/> has passed.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        StoppedOnPurpose = true;
        Signal(SigTerm);
        if (!await WaitForExitAsync(grace))
        {
            Signal(SigKill);
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnOwnerExit;
        StoppedOnPurpose = true;
        if (!process.HasExited)
        {
            // A stopped process ignores SIGKILL only until continued; the kernel delivers SIGKILL regardless.
            NativeKill(Id, SigKill);
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (gate)
        {
            lines.Enqueue(line);
            if (lines.Count > KeptLines)
            {
                lines.Dequeue();
            }
        }
    }

    private void OnOwnerExit(object? sender, EventArgs e)
    {
        if (!process.HasExited)
        {
            NativeKill(Id, SigKill);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int NativeKill(int pid, int signal);
}
