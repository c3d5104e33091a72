using System.Text.Json.Nodes;
using Jobs.Testing.Processes;
using Npgsql;
using StackExchange.Redis;

namespace Jobs.Compare;

/// <summary>
/// Jobs' turn in each run: a database and Redis as fresh as the peers' (each peer makes its database anew), a new API
/// process, the scenarios, then every service process stopped so that the next system has the machine to itself.
/// </summary>
public sealed class JobsRun(ProcessCluster cluster, Plan plan, Action<string> progress)
{
    // ProcessCluster.StartAsync leaves the API running on a database that nothing has used yet.
    private bool apiRunning = true;
    private bool used;

    public async Task<JsonObject> RunAsync(bool once)
    {
        if (used)
        {
            await StopServicesAsync();
            await ResetAsync();
        }

        used = true;
        if (!apiRunning)
        {
            cluster.Api.Dispose();
            await cluster.StartApiAsync();
            apiRunning = true;
        }

        try
        {
            return await new JobsScenarios(cluster, plan, progress).RunAsync(once);
        }
        finally
        {
            await StopServicesAsync();
        }
    }

    /// <summary>SIGTERM to the workers and the API, waiting for each to exit; the servers stay.</summary>
    public async Task StopServicesAsync()
    {
        await WorkerControl.StopAsync(cluster);
        if (apiRunning)
        {
            cluster.Api.StoppedOnPurpose = true;
            cluster.Api.Signal(ServiceProcess.SigTerm);
            await cluster.Api.WaitForExitAsync(TimeSpan.FromSeconds(30));
            apiRunning = false;
        }
    }

    /// <summary>The configuration a service was built in, from its output folder (bin/&lt;configuration&gt;/&lt;tfm&gt;/).</summary>
    public static string BuildConfiguration(string dll) =>
        Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(dll))) ?? "unknown";

    // The database dropped and made again (the API applies the migrations when it starts), Redis emptied.
    private async Task ResetAsync()
    {
        progress("jobs: a fresh database and Redis for this run");
        NpgsqlConnection.ClearAllPools();
        var server = new NpgsqlConnectionStringBuilder(cluster.DatabaseConnectionString) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            foreach (var sql in new[] { $"DROP DATABASE IF EXISTS {ProcessCluster.Database} WITH (FORCE)", $"CREATE DATABASE {ProcessCluster.Database}" })
            {
                await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 120 };
                await command.ExecuteNonQueryAsync();
            }
        }

        NpgsqlConnection.ClearAllPools();
        await StatementCost.InstallAsync(cluster);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString + ",allowAdmin=true");
        await redis.GetServers()[0].FlushAllDatabasesAsync();
    }
}
