// Hangfire peer of ./bench.sh: N no-op jobs on PostgreSQL, W servers × S workers in one process.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hangfire;
using Hangfire.PostgreSql;
using Npgsql;

static int Setting(string name, int fallback) =>
    int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out var v) ? v : fallback;

var jobs = Setting("BENCH_JOBS", 2000);
var latencyJobs = Setting("BENCH_LATENCY_JOBS", 200);
var clients = Setting("BENCH_CLIENTS", 16);
var servers = Setting("BENCH_WORKERS", 2);
var concurrency = Setting("BENCH_CONCURRENCY", 50);
var deadline = TimeSpan.FromSeconds(Setting("BENCH_DEADLINE_SECONDS", 30));
var connectionString = Environment.GetEnvironmentVariable("PG_CONNECTION") ?? throw new InvalidOperationException("PG_CONNECTION is not set");

// Hangfire's docs (docs.hangfire.io, "Configuration"): compatibility level 180, simple type names, recommended
// serializer settings; Hangfire.PostgreSql's README: a short QueuePollInterval for latency (its default is 15 s).
GlobalConfiguration.Configuration
    .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
    .UseSimpleAssemblyNameTypeSerializer()
    .UseRecommendedSerializerSettings()
    .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString), new PostgreSqlStorageOptions
    {
        QueuePollInterval = TimeSpan.FromMilliseconds(100),
        PrepareSchemaIfNecessary = true,
    });
var storage = JobStorage.Current;

var latencies = new ConcurrentBag<double>();
var next = 0;
var clock = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(() =>
{
    while (Interlocked.Increment(ref next) <= latencyJobs)
    {
        var t = Stopwatch.GetTimestamp();
        BackgroundJob.Enqueue(() => Noop.Run());
        latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
    }
})));
var submitSeconds = clock.Elapsed.TotalSeconds;
clock.Restart();
Parallel.For(0, jobs - latencyJobs, new ParallelOptions { MaxDegreeOfParallelism = clients }, _ => BackgroundJob.Enqueue(() => Noop.Run()));
var bulkSeconds = clock.Elapsed.TotalSeconds;

await using var stats = new NpgsqlConnection(connectionString);
await stats.OpenAsync();
async Task<long> Commits()
{
    await using var c = new NpgsqlCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", stats);
    return (long)(await c.ExecuteScalarAsync())!;
}

var monitoring = storage.GetMonitoringApi();
var before = await Commits();
clock.Restart();
var running = Enumerable.Range(0, servers)
    .Select(i => new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = concurrency, ServerName = $"bench-{i}" }, storage))
    .ToList();
long completed;
while ((completed = monitoring.SucceededListCount()) < jobs && clock.Elapsed < deadline)
{
    await Task.Delay(50);
}

var seconds = clock.Elapsed.TotalSeconds;
var after = await Commits();
foreach (var server in running)
{
    server.SendStop();
}

var sorted = latencies.Order().ToArray();
double At(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
Console.WriteLine("RESULT " + JsonSerializer.Serialize(new
{
    peer = "hangfire",
    version = $"Hangfire.Core {typeof(BackgroundJob).Assembly.GetName().Version?.ToString(3)}, Hangfire.PostgreSql {typeof(PostgreSqlStorage).Assembly.GetName().Version?.ToString(3)}",
    config = $"{servers} BackgroundJobServer × WorkerCount {concurrency} in one process, QueuePollInterval 100 ms, compatibility 180",
    submit = new { jobs = latencyJobs, clients, seconds = submitSeconds, jobsPerSecond = latencyJobs / submitSeconds, p50 = At(50), p95 = At(95), p99 = At(99) },
    bulkSeconds,
    throughput = new { jobs, completed, seconds, jobsPerSecond = completed / seconds, timedOut = completed < jobs },
    commitsPerJob = completed > 0 ? (after - before) / (double)completed : (double?)null,
}));
Environment.Exit(0);

public static class Noop
{
    public static void Run()
    {
    }
}
