using System.Globalization;
using System.Reflection;
using Jobs.Hosting.Local;
using Npgsql;

namespace Jobs.Testing.Processes;

/// <summary>
/// The whole system as real processes: PostgreSQL and Redis from the machine's binaries, the API and N workers as
/// <c>dotnet &lt;dll&gt;</c> with the configuration contract (docs/design.md, "Configuration contract"), so that faults
/// are real signals and restarts. The API runs in Development by default, which seeds the demo workspace with the key
/// in <see cref="ApiKey"/>; in any other environment (<see cref="ClusterOptions.EnvironmentName"/>) the cluster makes
/// that workspace itself.
/// </summary>
public sealed partial class ProcessCluster : IAsyncDisposable
{
    public const string ApiKey = "chaos-key";

    /// <summary>The key of Development's second workspace, acme (limits at their defaults: 5 jobs at once).</summary>
    public const string AcmeApiKey = "chaos-key-acme";
    public const string Database = "jobsdb";

    /// <summary>The demo workspace's requests a minute per key: the soak and the benchmark submit thousands with one key.</summary>
    public const int DemoRequestsPerMinute = 1_000_000;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly List<ServiceProcess> workers = [];
    private readonly Lock gate = new();
    private readonly string root = Path.Combine(Path.GetTempPath(), $"jobs-chaos-{System.Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
    private readonly CancellationTokenSource stopping = new();
    private readonly Guid demoWorkspaceId = Guid.CreateVersion7();
    private readonly Guid acmeWorkspaceId = Guid.CreateVersion7();
    private PostgresServer? postgres;
    private int postgresPort;
    private Task supervisor = Task.CompletedTask;
    private int workerCount;

    private ProcessCluster(ClusterOptions options)
    {
        Options = options;
        ApiUrl = $"http://127.0.0.1:{FreePort.Next()}";
        Client = ClientWithKey(ApiKey);
        AcmeClient = ClientWithKey(AcmeApiKey);
    }

    public static string ApiDll { get; } = Metadata("ApiPath");

    public static string WorkerDll { get; } = Metadata("WorkerPath");

    public ClusterOptions Options { get; }

    public string ApiUrl { get; }

    /// <summary>Calls the API as the demo workspace; its timeout is bounded so that a hang fails instead of waiting.</summary>
    public HttpClient Client { get; }

    /// <summary><see cref="Client"/> for the acme workspace.</summary>
    public HttpClient AcmeClient { get; }

    public ServiceProcess Api { get; private set; } = null!;

    public RedisServer Redis { get; private set; } = null!;

    public string DatabaseConnectionString { get; private set; } = "";

    /// <summary>The cluster's own queries: the services' connection string unless <see cref="ClusterOptions.HarnessDatabaseUser"/> is set.</summary>
    public string HarnessConnectionString { get; private set; } = "";

    public IReadOnlyList<ServiceProcess> Workers
    {
        get
        {
            lock (gate)
            {
                return [.. workers];
            }
        }
    }

    /// <summary>Workers that exited without being stopped on purpose (crashes), counted by the supervisor.</summary>
    public int WorkerCrashes { get; private set; }

    public static async Task<ProcessCluster> StartAsync(ClusterOptions options)
    {
        var cluster = new ProcessCluster(options);
        try
        {
            await cluster.StartServersAsync();
            await cluster.StartApiAsync();
            await Task.WhenAll(Enumerable.Range(0, options.Workers).Select(_ => cluster.StartWorkerAsync()));
            if (options.SuperviseWorkers)
            {
                cluster.supervisor = cluster.SuperviseAsync(cluster.stopping.Token);
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task StartApiAsync()
    {
        Api = ServiceProcess.Start("api", ApiDll, ServiceEnvironment("api", ApiUrl), ApiUrl);
        await WaitUntilHealthyAsync(Api);
        if (!Options.IsDevelopment)
        {
            // Nothing is seeded outside Development: the workspaces behind Client and AcmeClient are made as an
            // operator would, once the API has applied the migrations (and again after a reset of the database).
            await WorkspaceCreateAsync(new WorkspaceSpec(demoWorkspaceId, "demo", ApiKey)
            {
                MaxConcurrentJobs = Options.MaxConcurrentJobs,
                RequestsPerMinute = DemoRequestsPerMinute,
            });
            await WorkspaceCreateAsync(new WorkspaceSpec(acmeWorkspaceId, "acme", AcmeApiKey));
        }

        Api.Ready = true;
        Log($"api started (pid {Api.Id})");
    }

    /// <summary>kill -9 of the API, then a fresh one on the same address.</summary>
    public async Task RestartApiAsync(int signal = ServiceProcess.SigKill)
    {
        Api.StoppedOnPurpose = true;
        Api.Signal(signal);
        await Api.WaitForExitAsync(TimeSpan.FromSeconds(15));
        Api.Dispose();
        Log($"api stopped with signal {signal}");
        await StartApiAsync();
    }

    public async Task<ServiceProcess> StartWorkerAsync()
    {
        var name = $"worker-{Interlocked.Increment(ref workerCount)}";
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var worker = ServiceProcess.Start(name, WorkerDll, ServiceEnvironment(name, url), url);
        lock (gate)
        {
            workers.Add(worker);
        }

        await WaitUntilRegisteredAsync(worker);
        worker.Ready = true;
        Log($"{name} started (pid {worker.Id})");
        return worker;
    }

    /// <summary>Sends a signal to a worker; SIGKILL and SIGTERM also take it out of <see cref="Workers"/>.</summary>
    public void SignalWorker(ServiceProcess worker, int signal)
    {
        if (signal is ServiceProcess.SigKill or ServiceProcess.SigTerm)
        {
            worker.StoppedOnPurpose = true;
            lock (gate)
            {
                workers.Remove(worker);
            }
        }

        worker.Signal(signal);
        Log($"{worker.Name} (pid {worker.Id}) got signal {signal}");
    }

    /// <summary>The worker process holding a job's lease, from the pid in its worker id (host-pid-nonce).</summary>
    public async Task<ServiceProcess?> WorkerOwningAsync(Guid jobId)
    {
        var owner = await ScalarAsync<string>("SELECT lease_owner FROM jobs WHERE id = @id", ("id", jobId));
        return owner is null ? null : WorkerById(owner);
    }

    public ServiceProcess? WorkerById(string workerId)
    {
        var parts = workerId.Split('-');
        var pid = parts.Length >= 3 && int.TryParse(parts[^2], CultureInfo.InvariantCulture, out var p) ? p : -1;
        return Workers.FirstOrDefault(w => w.Id == pid);
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await supervisor;
        foreach (var worker in Workers)
        {
            worker.Dispose();
        }

        Api?.Dispose();
        Client.Dispose();
        AcmeClient.Dispose();
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }

        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the temp folder is cleaned by the OS otherwise.
        }
    }

    private Dictionary<string, string?> ServiceEnvironment(string name, string url)
    {
        var o = Options;
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = o.EnvironmentName,
            ["DOTNET_ENVIRONMENT"] = o.EnvironmentName,
            ["ASPNETCORE_URLS"] = url,
            ["HTTP_PORTS"] = null,
            ["HTTPS_PORTS"] = null,
            ["OTEL_SERVICE_NAME"] = name,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
            ["ConnectionStrings__jobsdb"] = DatabaseConnectionString,
            ["ConnectionStrings__redis"] = Redis.ConnectionString,
            // The operator's ceilings go up with the demo workspace's limits: its raised limits must fit under them.
            ["Api__LimitCeilings__MaxConcurrentJobs"] = o.MaxConcurrentJobs.ToString(CultureInfo.InvariantCulture),
            // The soak submits thousands of jobs with one key: far beyond demo's default 600 requests a minute.
            ["Api__LimitCeilings__RequestsPerMinute"] = DemoRequestsPerMinute.ToString(CultureInfo.InvariantCulture),
            ["Worker__Slots"] = o.Slots.ToString(CultureInfo.InvariantCulture),
            ["Worker__LeaseDuration"] = o.LeaseDuration.ToString("c"),
            ["Worker__HeartbeatInterval"] = o.HeartbeatInterval.ToString("c"),
            ["Worker__MaintenanceInterval"] = o.MaintenanceInterval.ToString("c"),
            ["Worker__StaleHintAfter"] = o.StaleHintAfter.ToString("c"),
            ["Worker__DeadWorkerAfter"] = o.DeadWorkerAfter.ToString("c"),
            ["Worker__ShutdownGracePeriod"] = o.ShutdownGracePeriod.ToString("c"),
            ["Worker__RetryBaseDelay"] = o.RetryBaseDelay.ToString("c"),
            ["Worker__RetryMaxDelay"] = (o.RetryBaseDelay * 5).ToString("c"),
            ["Worker__PollInterval"] = "00:00:00.100",
            ["DOTNET_DbgEnableMiniDump"] = "0",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        };
        if (o.IsDevelopment)
        {
            // Development's seed makes demo and acme with these keys and raises demo's limits to the ceilings above.
            environment["JOBS_DEV_API_KEY"] = ApiKey;
            environment["JOBS_DEV_API_KEY_2"] = AcmeApiKey;
            environment["Jobs__Dev__MaxConcurrentJobs"] = o.MaxConcurrentJobs.ToString(CultureInfo.InvariantCulture);
            environment["Jobs__Dev__RequestsPerMinute"] = DemoRequestsPerMinute.ToString(CultureInfo.InvariantCulture);
            // Test support in the demo handler: the poison-job scenario needs a job that kills its process.
            environment["Demo__AllowProcessCrash"] = "true";
        }

        return environment;
    }

    // A process manager's restart policy: a worker that died on its own is replaced.
    private async Task SuperviseAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            foreach (var crashed in Workers.Where(w => w.HasExited && !w.StoppedOnPurpose))
            {
                lock (gate)
                {
                    workers.Remove(crashed);
                }

                WorkerCrashes++;
                Log($"{crashed.Name} (pid {crashed.Id}) crashed with exit code {crashed.ExitCode}; restarting");
                crashed.Dispose();
                try
                {
                    await StartWorkerAsync();
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException or NpgsqlException)
                {
                    Log($"restart failed: {e.Message}");
                }
            }

            try
            {
                await Task.Delay(200, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Log(string message) => Options.Log?.Invoke($"[{DateTime.UtcNow:HH:mm:ss.fff}] {message}");

    private static string Metadata(string key) => typeof(ProcessCluster).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == key).Value!;
}
