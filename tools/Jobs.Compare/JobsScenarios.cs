using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Jobs.Client;
using Jobs.Testing.Processes;
using StackExchange.Redis;

namespace Jobs.Compare;

/// <summary>
/// One run of Jobs through its real API and worker processes on a fresh database: submit, throughput of a backlog
/// with its cost per job, pickup, the same backlog over many workspaces at their default limits, the same backlog
/// again with a history of completed jobs and a future backlog, and memory at the end of each. Event latency and
/// continuous mode run once per invocation (<c>once</c>), in its last run.
/// </summary>
public sealed class JobsScenarios(ProcessCluster cluster, Plan plan, Action<string> progress)
{
    public async Task<JsonObject> RunAsync(bool once)
    {
        var result = new JsonObject();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 })
        {
            BaseAddress = new Uri(cluster.ApiUrl),
            Timeout = TimeSpan.FromSeconds(30),
        };
        var client = new JobsClient(http, ProcessCluster.ApiKey);

        // The API accepts only types that workers have published (job_types): workers start once, then stop, so
        // that every submitted job waits as backlog for the throughput scenario.
        progress("jobs: registering job types (workers start once and stop)");
        await WorkerControl.StartAsync(cluster, plan.Workers);
        await WorkerControl.StopAsync(cluster);

        // Warm-up, not measured (Plan.WarmupSingles). Its jobs join the backlog like the others.
        var batch = JobsRequests.Batch(JobsRequests.NoOp, plan.BatchSize);
        await SubmitAsync(() => client.SubmitAsync(JobsRequests.NoOp), plan.WarmupSingles, 4);
        await SubmitAsync(() => client.SubmitBatchAsync(batch), plan.WarmupBatches, 1);
        // The database is fresh for every run: its first job is the warm-up's, in the workspace of the harness's key.
        var workspace = await cluster.ScalarAsync<Guid>("SELECT workspace_id FROM jobs ORDER BY id LIMIT 1");
        var submit = new JsonObject();
        foreach (var clients in plan.ClientCounts)
        {
            progress($"jobs: POST /api/jobs × {plan.SingleSubmits[clients]} from {clients} clients");
            submit[$"single_{clients}"] = Json(await SubmitAsync(() => client.SubmitAsync(JobsRequests.NoOp), plan.SingleSubmits[clients], clients));
        }

        foreach (var clients in plan.ClientCounts)
        {
            progress($"jobs: POST /api/jobs/batch × {plan.BatchRequests[clients]} of {plan.BatchSize} from {clients} clients");
            var latency = await SubmitAsync(() => client.SubmitBatchAsync(batch), plan.BatchRequests[clients], clients);
            submit[$"batch_{clients}"] = Json(latency with { Jobs = latency.Jobs * plan.BatchSize, JobsPerSecond = latency.JobsPerSecond * plan.BatchSize });
        }

        var rss = new JsonObject { ["submit"] = Rss(cluster) };
        result["submit"] = submit;
        result["throughput"] = await ThroughputAsync();
        rss["throughput"] = Rss(cluster);
        result["pickup"] = await PickupAsync(client);
        rss["pickup"] = Rss(cluster);
        if (once)
        {
            // Workers keep running from the work-down on: the scenarios below need them.
            result["events"] = await GuardedAsync("events", () => new EventLatency(cluster, plan, progress).RunAsync(client));
            rss["events"] = Rss(cluster);
            result["continuous"] = await GuardedAsync("continuous", () => new ContinuousMode(cluster, plan, progress).RunAsync(client));
            rss["continuous"] = Rss(cluster);
        }

        result["workspaces"] = await GuardedAsync("workspaces", () => new WorkspacesScenario(cluster, plan, progress).RunAsync(http));
        rss["workspaces"] = Rss(cluster);
        result["history"] = await GuardedAsync("history", () => new HistoryScenario(cluster, plan, progress).RunAsync(client, workspace));
        rss["history"] = Rss(cluster);

        // Memory at the end of each scenario, in MiB; rss_mib is the last of them.
        result["rss_mib_by_scenario"] = rss;
        result["rss_mib"] = Rss(cluster);
        return result;
    }

    /// <summary>API and worker RSS now, in MiB; the scenarios record it when they end.</summary>
    public static JsonObject Rss(ProcessCluster cluster) => new()
    {
        ["api"] = RssMiB(cluster.Api.Id),
        ["workers"] = new JsonArray([.. cluster.Workers.Select(w => (JsonNode?)RssMiB(w.Id))]),
    };

    // A scenario that fails is reported as failed; the ones after it and the peers still run.
    private async Task<JsonObject> GuardedAsync(string name, Func<Task<JsonObject>> scenario)
    {
        try
        {
            return await scenario();
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or IOException
                                      or Npgsql.NpgsqlException or Microsoft.AspNetCore.SignalR.HubException or TaskCanceledException)
        {
            progress($"jobs: {name} failed: {e.Message}");
            return new JsonObject { ["error"] = e.Message };
        }
    }

    private async Task<JsonObject> ThroughputAsync()
    {
        var backlog = await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE started_at IS NULL");
        progress($"jobs: {backlog} pending; starting {plan.Workers} workers × {plan.Slots} slots");
        var commits = await CommitsAsync();
        var redis = await RedisCallsAsync();
        await StatementCost.ResetAsync(cluster);
        var clock = Stopwatch.StartNew();
        await WorkerControl.StartAsync(cluster, plan.Workers);
        var started = clock.Elapsed.TotalSeconds;
        long done;
        while ((done = await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE completed_at IS NOT NULL")) < backlog
               && clock.Elapsed < plan.WorkDownDeadline + TimeSpan.FromSeconds(started))
        {
            await Task.Delay(50);
        }

        var wall = clock.Elapsed.TotalSeconds - started;
        var commitsDelta = await CommitsAsync() - commits;
        var redisDelta = await RedisCallsAsync() - redis;
        var statements = await StatementCost.ReadAsync(cluster, done);
        // The span the database saw, from the first claim to the last completion: worker start-up is excluded.
        var span = await cluster.ScalarAsync<double>(
            "SELECT coalesce(extract(epoch FROM max(completed_at) - min(started_at))::float8, 0) FROM jobs WHERE completed_at IS NOT NULL");
        progress($"jobs: {done}/{backlog} done in {span:F2} s ({done / Math.Max(span, 1e-9):F0} jobs/s)");
        return new JsonObject
        {
            ["jobs"] = backlog,
            ["completed"] = done,
            ["seconds"] = span,
            ["jobsPerSecond"] = done / Math.Max(span, 1e-9),
            ["wallSecondsAfterWorkersRegistered"] = wall,
            ["timedOut"] = done < backlog,
            ["commitsPerJob"] = done > 0 ? commitsDelta / (double)done : null,
            ["redisCommandsPerJob"] = done > 0 ? redisDelta / (double)done : null,
            ["sqlStatements"] = statements,
        };
    }

    private async Task<JsonObject> PickupAsync(JobsClient client)
    {
        // Idle means no backlog: a work-down that hit its deadline gets a bounded while to finish first.
        var drain = Stopwatch.StartNew();
        long left;
        while ((left = await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE completed_at IS NULL")) > 0 && drain.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(200);
        }

        progress($"jobs: pickup latency, {plan.PickupSamples} jobs one at a time on an idle system{(left > 0 ? $" (not idle: {left} still pending)" : "")}");
        await Task.Delay(500);
        var samples = new List<double>();
        for (var i = 0; i < plan.PickupSamples; i++)
        {
            var before = DateTimeOffset.UtcNow;
            var id = (await client.SubmitAsync(JobsRequests.NoOp)).JobId;
            var deadline = Stopwatch.StartNew();
            DateTime? startedAt = null;
            while (deadline.Elapsed < TimeSpan.FromSeconds(10)
                   && (startedAt = await cluster.ScalarAsync<DateTime?>("SELECT started_at FROM jobs WHERE id = @id", ("id", id))) is null)
            {
                await Task.Delay(2);
            }

            if (startedAt is { } s)
            {
                samples.Add((new DateTimeOffset(DateTime.SpecifyKind(s, DateTimeKind.Utc)) - before).TotalMilliseconds);
            }

            await Task.Delay(50);
        }

        var latency = Latency.From(samples, samples.Count, 1, 1);
        return new JsonObject { ["backlogLeft"] = left, ["samples"] = samples.Count, ["p50"] = latency.P50, ["p95"] = latency.P95, ["p99"] = latency.P99 };
    }

    /// <summary>Runs <paramref name="submit"/> <paramref name="requests"/> times from <paramref name="clients"/> at once, timing each.</summary>
    internal static async Task<Latency> SubmitAsync(Func<Task> submit, int requests, int clients)
    {
        var latencies = new ConcurrentBag<double>();
        var next = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= requests)
            {
                var t = Stopwatch.GetTimestamp();
                await submit();
                latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
        }));
        return Latency.From(latencies, requests, clients, clock.Elapsed.TotalSeconds);
    }

    private Task<long> CommitsAsync() => cluster.ScalarAsync<long>(
        "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");

    private async Task<long> RedisCallsAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString + ",allowAdmin=true");
        return CommandCalls(await redis.GetServers()[0].InfoAsync("commandstats"));
    }

    public static long CommandCalls(IGrouping<string, KeyValuePair<string, string>>[] info) => info
        .SelectMany(g => g)
        .Select(kv => kv.Value.Split(',').FirstOrDefault(p => p.StartsWith("calls=", StringComparison.Ordinal)))
        .Sum(p => p is null ? 0 : long.Parse(p["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture));

    public static double? RssMiB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static JsonObject Json(Latency l) => new()
    {
        ["jobs"] = l.Jobs,
        ["clients"] = l.Clients,
        ["seconds"] = l.Seconds,
        ["jobsPerSecond"] = l.JobsPerSecond,
        ["p50"] = l.P50,
        ["p95"] = l.P95,
        ["p99"] = l.P99,
    };
}
