using Jobs.Api;
using Jobs.Core.Engine.Storage;
using Jobs.Core.Identity;
using Jobs.Worker;
using Jobs.Worker.Handlers;
using Jobs.Worker.Processing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Jobs.IntegrationTests.Infrastructure;

/// <summary>
/// An API and some workers on a database and Redis key prefix of their own, with timings shortened so that leases,
/// retries and maintenance play out in seconds. <see cref="Client"/> calls the API as a fresh workspace.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly Dictionary<string, string?> settings;
    private readonly Action<IServiceCollection>? configureWorkers;
    private readonly List<ServiceFactory<WorkerEntryPoint>> workers = [];
    private readonly List<ServiceFactory<ApiEntryPoint>> extraApis = [];
    private readonly List<IAsyncDisposable> services = [];

    private TestCluster(Dictionary<string, string?> settings, Action<IServiceCollection>? configureWorkers)
    {
        this.settings = settings;
        this.configureWorkers = configureWorkers;
    }

    public ServiceFactory<ApiEntryPoint> Api { get; private set; } = null!;

    public IReadOnlyList<ServiceFactory<WorkerEntryPoint>> Workers => workers;

    public HttpClient Client { get; private set; } = null!;

    public Caller Caller { get; private set; } = null!;

    public string DatabaseConnectionString => settings["ConnectionStrings:jobsdb"]!;

    public string RedisKeyPrefix => settings["Jobs:RedisKeyPrefix"]!;

    public static async Task<TestCluster> StartAsync(
        Servers servers,
        int workers = 1,
        string? redisConnectionString = null,
        int maxConcurrentJobs = 5,
        IReadOnlyDictionary<string, string?>? overrides = null,
        Action<IServiceCollection>? configureWorkers = null,
        Action<IServiceCollection>? configureApi = null)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:jobsdb"] = await servers.CreateDatabaseAsync($"jobs_test_{id}"),
            ["ConnectionStrings:redis"] = redisConnectionString ?? servers.RedisConnectionString,
            ["Jobs:RedisKeyPrefix"] = $"t{id}:",
            ["Worker:Slots"] = "8",
            ["Worker:LeaseDuration"] = "00:00:03",
            ["Worker:HeartbeatInterval"] = "00:00:00.500",
            ["Worker:PollInterval"] = "00:00:00.050",
            ["Worker:ProgressInterval"] = "00:00:00.100",
            ["Worker:MaintenanceInterval"] = "00:00:00.200",
            ["Worker:StaleHintAfter"] = "00:00:02",
            ["Worker:DeadWorkerAfter"] = "00:00:03",
            ["Worker:RetryBaseDelay"] = "00:00:00.200",
            ["Worker:RetryMaxDelay"] = "00:00:01",
            ["Worker:ShutdownGracePeriod"] = "00:00:00.500",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var cluster = new TestCluster(settings, configureWorkers);
        cluster.Api = ServiceFactory<ApiEntryPoint>.Start(settings, configureApi);
        // Workers publish the types they run; publish them up front, registered as the workers register them (the
        // shipped types and the test workers' own), so that clusters without workers accept jobs.
        var types = new ServiceCollection().AddShippedJobHandlers().AddJobHandler<TestHandlers.FailPermanently>();
        await cluster.Api.Services.GetRequiredService<IClusterStore>().JobTypeUpsertManyAsync(types.JobTypeDefinitionsIn(), CancellationToken.None);
        (cluster.Client, cluster.Caller) = await cluster.CreateWorkspaceClientAsync(maxConcurrentJobs);
        for (var i = 0; i < workers; i++)
        {
            await cluster.StartWorkerAsync();
        }

        return cluster;
    }

    /// <summary>
    /// Another workspace with its own user and key, on the same cluster. Its requests per minute are raised to the
    /// most allowed, as tests poll far faster than a client would; the bulk-job limit keeps the demo default (10 an
    /// hour). <see cref="SetLimitsAsync"/> changes them: before the workspace's first request, which caches them.
    /// </summary>
    public async Task<(HttpClient Client, Caller Caller)> CreateWorkspaceClientAsync(int maxConcurrentJobs = 5)
    {
        var (client, caller, _) = await CreateWorkspaceAsync(maxConcurrentJobs);
        return (client, caller);
    }

    /// <summary><see cref="CreateWorkspaceClientAsync"/>, with the plain API key for clients of other instances.</summary>
    public async Task<(HttpClient Client, Caller Caller, string ApiKey)> CreateWorkspaceAsync(int maxConcurrentJobs = 5)
    {
        var apiKey = ApiKeyHasher.NewKey();
        var caller = await Api.Services.GetRequiredService<IWorkspaceStore>().WorkspaceEnsureAsync(new WorkspaceSeed(
            Guid.CreateVersion7(), "test", Guid.CreateVersion7(), $"{Guid.NewGuid():N}@test.local", "Tester", apiKey, maxConcurrentJobs), CancellationToken.None);
        await SetLimitsAsync(caller.WorkspaceId, requestsPerMinute: 1_000_000);
        return (ClientOf(Api, apiKey), caller, apiKey);
    }

    /// <summary>Sets a workspace's submission limits as an admin would; null leaves a limit as it is.</summary>
    public Task SetLimitsAsync(Guid workspaceId, int? requestsPerMinute = null, int? bulkJobsPerHour = null, int? maxBatchItems = null) =>
        ScalarAsync<object>(
            "UPDATE workspaces SET requests_per_minute = coalesce(@rpm, requests_per_minute), "
            + "bulk_jobs_per_hour = coalesce(@bulk, bulk_jobs_per_hour), max_batch_items = coalesce(@items, max_batch_items) WHERE id = @id",
            ("id", workspaceId),
            ("rpm", (object?)requestsPerMinute ?? DBNull.Value),
            ("bulk", (object?)bulkJobsPerHour ?? DBNull.Value),
            ("items", (object?)maxBatchItems ?? DBNull.Value));

    /// <summary>Another API instance on the same database and Redis prefix, as a deployment runs several.</summary>
    public ServiceFactory<ApiEntryPoint> StartApi()
    {
        var api = ServiceFactory<ApiEntryPoint>.Start(settings);
        extraApis.Add(api);
        return api;
    }

    public static HttpClient ClientOf(ServiceFactory<ApiEntryPoint> api, string apiKey)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    public async Task<ServiceFactory<WorkerEntryPoint>> StartWorkerAsync()
    {
        var worker = ServiceFactory<WorkerEntryPoint>.Start(settings, services =>
        {
            services.AddJobHandler<TestHandlers.FailPermanently>();
            configureWorkers?.Invoke(services);
        });
        workers.Add(worker);
        var id = IdentityOf(worker).Id;
        await Eventually.TrueAsync(async () => await ScalarAsync<long>("SELECT count(*) FROM workers WHERE id = @id", ("id", id)) == 1, "the worker to register");
        return worker;
    }

    /// <summary>
    /// Another service on the cluster's database and Redis with its shortened timings, such as a team's own worker
    /// (<c>samples/</c>); stopped with the cluster.
    /// </summary>
    public ServiceFactory<TEntryPoint> StartService<TEntryPoint>() where TEntryPoint : class
    {
        var service = ServiceFactory<TEntryPoint>.Start(settings);
        services.Add(service);
        return service;
    }

    /// <summary>Stops a worker as a deployment would (graceful shutdown).</summary>
    public async Task StopWorkerAsync(ServiceFactory<WorkerEntryPoint> worker)
    {
        workers.Remove(worker);
        await worker.DisposeAsync();
    }

    internal static ConsumerService ConsumerOf(ServiceFactory<WorkerEntryPoint> worker) => worker.Services.GetRequiredService<ConsumerService>();

    internal static WorkerIdentity IdentityOf(ServiceFactory<WorkerEntryPoint> worker) => worker.Services.GetRequiredService<WorkerIdentity>();

    /// <summary>Runs SQL against the cluster's database, for arranging states and asserting on rows.</summary>
    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var dataSource = NpgsqlDataSource.Create(DatabaseConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is DBNull or null ? default : (T)result;
    }

    /// <summary>Another transaction holding the job's row (FOR UPDATE) until the result is disposed, which rolls it back.</summary>
    public async Task<NpgsqlConnection> HoldRowAsync(Guid jobId)
    {
        var holder = new NpgsqlConnection(DatabaseConnectionString);
        await holder.OpenAsync();
        await using var command = new NpgsqlCommand("BEGIN; SELECT id FROM jobs WHERE id = @id FOR UPDATE", holder);
        command.Parameters.AddWithValue("id", jobId);
        if (!Equals(await command.ExecuteScalarAsync(), jobId))
        {
            await holder.DisposeAsync();
            throw new InvalidOperationException($"Job {jobId} has no row to hold.");
        }

        return holder;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in workers)
        {
            await worker.DisposeAsync();
        }

        foreach (var service in services)
        {
            await service.DisposeAsync();
        }

        foreach (var api in extraApis)
        {
            await api.DisposeAsync();
        }

        await Api.DisposeAsync();
        Client.Dispose();
    }
}
