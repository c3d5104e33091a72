using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Jobs.AppHost.Tests;

/// <summary>The built Jobs.AppHost run as a real process, its output kept and echoed to the test's output.</summary>
internal sealed partial class AppHostProcess : IAsyncDisposable
{
    public const int SigTerm = 15;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ITestOutputHelper? _output;

    private AppHostProcess(Process process, ITestOutputHelper? output)
    {
        _process = process;
        _output = output;
    }

    public static string DllPath { get; } = typeof(AppHostProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "AppHostPath").Value!;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>The last lines, for assertion messages.</summary>
    public string Tail => string.Join(Environment.NewLine, _lines.TakeLast(150));

    public static AppHostProcess Start(IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments, ITestOutputHelper? output)
    {
        File.Exists(DllPath).ShouldBeTrue($"{DllPath} is missing; build the solution first.");
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
        var host = new AppHostProcess(process, output);
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
                throw new ShouldAssertException($"The AppHost exited with code {_process.ExitCode}:{Environment.NewLine}{Tail}");
            }

            if (clock.Elapsed > timeout)
            {
                throw new ShouldAssertException($"No expected line within {timeout.TotalSeconds:0} s:{Environment.NewLine}{Tail}");
            }

            await Task.Delay(200, ct);
        }
    }

    public void Signal(int signal) => NativeKill(_process.Id, signal).ShouldBe(0);

    /// <returns>Whether it exited within the timeout.</returns>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        await Task.WhenAny(_process.WaitForExitAsync(), Task.Delay(timeout));
        return _process.HasExited;
    }

    /// <summary>A test that failed half-way still leaves nothing running.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            var tree = ProcessTree.Descendants(_process.Id);
            Signal(SigTerm);
            if (!await WaitForExitAsync(TimeSpan.FromSeconds(30)))
            {
                foreach (var pid in tree.Append(_process.Id))
                {
                    NativeKill(pid, 9);
                }
            }
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        try
        {
            _output?.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has finished; the line is still kept above.
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int NativeKill(int pid, int signal);
}
