using System.Runtime.InteropServices;
using Aspire.Hosting.ApplicationModel;
using Jobs.Hosting.Local;

namespace Jobs.Hosting.AppModel;

/// <summary>
/// Runs the app model on this machine: PostgreSQL and Redis from its binaries, the projects as child processes,
/// each resource started once what it waits for is healthy. Stops everything on Ctrl-C, SIGTERM or SIGHUP
/// (projects first, then the servers), and after a failed start, which it reports with the last log lines.
/// </summary>
internal sealed partial class LocalRun(IReadOnlyList<IResource> resources, string appHostDirectory)
{
    private static readonly TimeSpan ProjectStopGrace = TimeSpan.FromSeconds(10);

    private readonly ConsoleLog _log = new();
    private readonly Dictionary<IResource, TaskCompletionSource> _ready = resources.ToDictionary(
        r => r, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    private readonly Dictionary<IResource, int> _ports = [];
    private readonly Dictionary<ProjectResource, ProjectReplica[]> _replicas = [];
    private readonly List<PostgresServer> _postgres = [];
    private readonly List<RedisServer> _redis = [];
    private readonly Lock _gate = new();
    private readonly TimeSpan _startupTimeout = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("JOBS_STARTUP_TIMEOUT_SECONDS"), out var s) ? s : 120);
    private OrphanGuard? _guard;
    private string _dataDirectory = "";
    private volatile bool _stopping;
    private DateTime _stopRequestedAt;

    public async Task<int> RunAsync()
    {
        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => OnSignal(c, stop));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => OnSignal(c, stop));
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => OnSignal(c, stop));

        _dataDirectory = Path.GetFullPath(Environment.GetEnvironmentVariable("JOBS_DATA_DIR") is { Length: > 0 } d
            ? d
            : Path.Combine(AppHostMetadata.RepositoryRoot(appHostDirectory), ".jobs"));
        Directory.CreateDirectory(_dataDirectory);
        _guard = new OrphanGuard(_dataDirectory);
        try
        {
            AssignPorts();
            _log.Info($"data in {_dataDirectory}; starting {string.Join(", ", resources.Select(r => r.Name))}");
            await StartAllAsync(stop.Token);
            ResourceTable.Print(resources, _ports, _replicas, _dataDirectory);
            _log.Info("ready; Ctrl-C stops everything");
            WatchForExits();
            await Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            return 0;
        }
        catch (ResourceStartException e)
        {
            ReportFailure(e);
            return 1;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or NotSupportedException)
        {
            _log.Info($"cannot start: {e.Message}");
            return 1;
        }
        finally
        {
            await StopAllAsync();
            _guard.Dispose();
            _log.Info("stopped");
        }
    }

    private void OnSignal(PosixSignalContext context, CancellationTokenSource stop)
    {
        context.Cancel = true;
        // `timeout` and some process managers signal the process and then its group: one stop, not two.
        if (_stopping && DateTime.UtcNow - _stopRequestedAt < TimeSpan.FromSeconds(2))
        {
            return;
        }

        if (_stopping)
        {
            // A second Ctrl-C: the user does not want to wait for graceful shutdowns.
            _log.Info("killing the projects");
            foreach (var replica in Replicas())
            {
                replica.Kill();
            }

            return;
        }

        _log.Info($"{context.Signal} received, stopping");
        _stopRequestedAt = DateTime.UtcNow;
        _stopping = true;
        stop.Cancel();
    }

    // Ports are fixed before anything starts, so every connection string is known up front, as under Aspire.
    private async Task StartAllAsync(CancellationToken stop)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var starts = resources.Select(async resource =>
        {
            try
            {
                await StartAsync(resource, failed.Token);
                _ready[resource].TrySetResult();
            }
            catch (Exception e)
            {
                _ready[resource].TrySetException(e);
                failed.Cancel();
                throw;
            }
        }).ToList();

        try
        {
            await Task.WhenAll(starts);
        }
        catch
        {
            stop.ThrowIfCancellationRequested();
            var failure = starts.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!)
                .FirstOrDefault(e => e is not OperationCanceledException);
            throw failure switch
            {
                ResourceStartException start => start,
                null => new OperationCanceledException(stop),
                _ => new ResourceStartException(NameOf(starts, failure), failure.Message, []),
            };
        }
    }

    private string NameOf(List<Task> starts, Exception failure) =>
        resources[starts.FindIndex(t => t.Exception?.InnerException == failure)].Name;

    private async Task StartAsync(IResource resource, CancellationToken ct)
    {
        switch (resource)
        {
            case PostgresServerResource postgres:
                var data = Path.Combine(_dataDirectory, postgres.HasDataVolume ? postgres.Name : $"{postgres.Name}-{Guid.NewGuid():N}");
                var server = await PostgresServer.StartAsync(
                    new PostgresServerOptions(data, _ports[postgres], PostgresServerResource.LocalPassword, DeleteDataOnDispose: !postgres.HasDataVolume)
                    {
                        Output = line => _log.Write(postgres.Name, line),
                        NewSession = true,
                    },
                    ct);
                Track(server.ProcessId, "INT", () => _postgres.Add(server));
                break;
            case PostgresDatabaseResource database:
                await WaitForAsync(database.Parent, ct);
                var host = _postgres.First(p => p.Port == _ports[database.Parent]);
                await host.CreateDatabaseAsync(database.DatabaseName, ct);
                break;
            case RedisResource redis:
                var redisServer = await RedisServer.StartAsync(
                    new RedisServerOptions(Path.Combine(_dataDirectory, redis.Name), _ports[redis])
                    {
                        Output = line => _log.Write(redis.Name, line),
                        NewSession = true,
                    },
                    ct);
                Track(redisServer.ProcessId ?? 0, "TERM", () => _redis.Add(redisServer));
                break;
            case ProjectResource project:
                foreach (var dependency in project.WaitsFor)
                {
                    await WaitForAsync(dependency, ct);
                }

                await StartProjectAsync(project, ct);
                break;
        }
    }

    private async Task WaitForAsync(IResource dependency, CancellationToken ct)
    {
        var ready = _ready[dependency].Task;
        await Task.WhenAny(ready, Task.Delay(Timeout.Infinite, ct));
        // A dependency that failed is reported by itself; here it only means "do not start".
        if (!ready.IsCompletedSuccessfully)
        {
            throw new OperationCanceledException(ct);
        }
    }

    private void Track(int pid, string signal, Action add)
    {
        lock (_gate)
        {
            add();
        }

        _guard!.Track(pid, signal);
    }

    private void WatchForExits()
    {
        foreach (var replica in Replicas())
        {
            _ = replica.Exited.ContinueWith(
                _ =>
                {
                    if (!_stopping)
                    {
                        _log.Info($"{replica.Name} exited with code {replica.ExitCode}");
                    }
                },
                TaskScheduler.Default);
        }
    }

    private async Task StopAllAsync()
    {
        _stopping = true;
        await Task.WhenAll(Replicas().Select(r => r.StopAsync(ProjectStopGrace)));
        List<PostgresServer> postgres;
        List<RedisServer> redis;
        lock (_gate)
        {
            postgres = [.. _postgres];
            redis = [.. _redis];
        }

        await Task.WhenAll(
            redis.Select(r => r.DisposeAsync().AsTask()).Concat(postgres.Select(p => p.DisposeAsync().AsTask())));
    }

    private IEnumerable<ProjectReplica> Replicas() => _replicas.Values.SelectMany(r => r);

    private void ReportFailure(ResourceStartException e)
    {
        _log.Info($"{e.Resource} failed to start: {e.Reason}");
        if (e.LastLines.Count > 0)
        {
            _log.Info($"last {e.LastLines.Count} lines of {e.Resource}:");
            foreach (var line in e.LastLines)
            {
                Console.Out.WriteLine($"    {line}");
            }
        }

        _log.Info("stopping everything");
    }
}
