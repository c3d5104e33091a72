using System.Diagnostics;
using Jobs.Hosting.Local;

namespace Jobs.Hosting.AppModel;

/// <summary>One process of a project resource: <c>dotnet &lt;built dll&gt;</c> with the configuration contract.</summary>
internal sealed class ProjectReplica(string name, string? url, string? healthCheckPath)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private ChildProcess? _process;

    public string Name { get; } = name;

    public string? Url { get; } = url;

    public int? ProcessId => _process?.Id;

    public bool HasExited => _process?.HasExited ?? false;

    public int? ExitCode => _process?.ExitCode;

    public Task Exited => _process?.Exited ?? Task.CompletedTask;

    public IReadOnlyList<string> RecentOutput => _process?.RecentOutput ?? [];

    public void Start(string dotnet, string dll, string workingDirectory, IReadOnlyDictionary<string, string?> environment, ConsoleLog log)
    {
        _process = ChildProcess.Start(
            dotnet,
            [dll],
            environment,
            workingDirectory,
            line => log.Write(Name, line),
            newSession: true);
    }

    /// <summary>Healthy once the health path answers 200 (or, without one, once started).</summary>
    public async Task WaitUntilHealthyAsync(TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (_process is null || _process.HasExited)
            {
                // Its last words may still be in the pipe; they are the point of the report.
                await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None));
                throw new ResourceStartException(Name, $"exited with code {_process?.ExitCode} before it was healthy", RecentOutput);
            }

            if (healthCheckPath is null || Url is null)
            {
                return;
            }

            var status = await ProbeAsync(ct);
            if (status == 200)
            {
                return;
            }

            if (clock.Elapsed > timeout)
            {
                var answer = status is null ? "no answer" : $"last answer {status}";
                throw new ResourceStartException(Name, $"GET {healthCheckPath} not healthy within {timeout.TotalSeconds:0} s ({answer})", RecentOutput);
            }

            await Task.Delay(250, ct);
        }
    }

    /// <summary>SIGTERM (ASP.NET Core's graceful shutdown: workers hand their jobs back), then SIGKILL after the grace.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process is not null)
        {
            await _process.StopAsync(Signals.Terminate, grace);
            _process.Dispose();
        }
    }

    public void Kill() => _process?.Kill();

    private async Task<int?> ProbeAsync(CancellationToken ct)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(new Uri(Url!), healthCheckPath), ct);
            return (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }
}
