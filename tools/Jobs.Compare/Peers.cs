using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Jobs.Testing.Processes;
using Npgsql;

namespace Jobs.Compare;

/// <summary>Runs each peer under bench/peers as its own process on the cluster's PostgreSQL and Redis.</summary>
public sealed class Peers(ProcessCluster cluster, Plan plan, string peersDirectory, Action<string> progress)
{
    public static readonly string[] Names = ["bullmq", "graphile-worker", "pg-boss", "hangfire"];

    /// <summary>One run of one peer in a database of its own made afresh; a failure is reported in the result, not thrown.</summary>
    public async Task<JsonObject> RunAsync(string name)
    {
        progress($"peer {name}: {plan.BacklogJobs} no-op jobs, {plan.Workers} × {plan.Slots}");
        try
        {
            var result = await RunOneAsync(name);
            var t = result["throughput"];
            progress($"peer {name}: {t?["completed"]}/{t?["jobs"]} in {t?["seconds"]?.GetValue<double>():F2} s ({t?["jobsPerSecond"]?.GetValue<double>():F0} jobs/s)");
            return result;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or NpgsqlException or System.ComponentModel.Win32Exception)
        {
            progress($"peer {name} failed: {e.Message}");
            return new JsonObject { ["peer"] = name, ["error"] = e.Message };
        }
    }

    private async Task<JsonObject> RunOneAsync(string name)
    {
        var database = "peer_" + name.Replace('-', '_');
        var builder = new NpgsqlConnectionStringBuilder(cluster.DatabaseConnectionString) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database}; CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }

        builder.Database = database;
        builder.Pooling = true;
        var redis = cluster.Redis.ConnectionString.Split(':');
        var start = name == "hangfire"
            ? new ProcessStartInfo("dotnet", [Path.Combine(peersDirectory, "hangfire/bin/Release/net10.0/Hangfire.Bench.dll")])
            : new ProcessStartInfo("node", [Path.Combine(peersDirectory, name, "bench.mjs")]);
        start.WorkingDirectory = Path.Combine(peersDirectory, name);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var env = start.Environment;
        env["BENCH_PEER_DIR"] = name;
        env["BENCH_JOBS"] = Text(plan.BacklogJobs);
        env["BENCH_LATENCY_JOBS"] = Text(plan.PeerLatencyJobs);
        env["BENCH_CLIENTS"] = Text(plan.PeerClients);
        env["BENCH_WORKERS"] = Text(plan.Workers);
        env["BENCH_CONCURRENCY"] = Text(plan.Slots);
        env["BENCH_DEADLINE_SECONDS"] = Text((int)plan.WorkDownDeadline.TotalSeconds);
        env["PG_CONNECTION"] = builder.ConnectionString;
        env["PG_URL"] = $"postgres://{builder.Username}:{builder.Password}@{builder.Host}:{builder.Port}/{database}";
        env["REDIS_HOST"] = redis[0];
        env["REDIS_PORT"] = redis[1];

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        // Set-up, submitting and the work-down deadline, with room for start-up: a peer that hangs is killed.
        using var limit = new CancellationTokenSource(plan.WorkDownDeadline + TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{name} did not finish in time: {Tail(await stderr)}");
        }

        var line = (await stdout).Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{name} exited {process.ExitCode} without a result: {Tail(await stderr)}");
        return JsonNode.Parse(line["RESULT ".Length..])!.AsObject();
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Tail(string text) => text.Length > 1500 ? text[^1500..] : text;
}
