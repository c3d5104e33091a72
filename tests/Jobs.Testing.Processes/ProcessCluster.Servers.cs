using Jobs.Hosting.Local;

namespace Jobs.Testing.Processes;

/// <summary>The cluster's PostgreSQL and Redis: started first, and PostgreSQL stopped and started again by scenarios.</summary>
public sealed partial class ProcessCluster
{
    private async Task StartServersAsync()
    {
        var startingRedis = RedisServer.StartAsync(new RedisServerOptions(Path.Combine(root, "redis")));
        postgres = await PostgresServer.StartAsync(new PostgresServerOptions(Path.Combine(root, "postgres"))
        {
            Settings = Options.PostgresSettings,
        });
        postgresPort = postgres.Port;
        await postgres.CreateDatabaseAsync(Database);
        DatabaseConnectionString = postgres.ConnectionString(Database);
        HarnessConnectionString = Options.HarnessDatabaseUser is { } user
            ? await CreateHarnessUserAsync(user)
            : DatabaseConnectionString;
        Redis = await startingRedis;
    }

    public async Task StopPostgresAsync()
    {
        await postgres!.StopAsync();
        Log("postgres stopped");
    }

    /// <summary>Starts PostgreSQL again on the same port and data directory.</summary>
    public async Task StartPostgresAsync()
    {
        await postgres!.DisposeAsync();
        postgres = await PostgresServer.StartAsync(new PostgresServerOptions(Path.Combine(root, "postgres"), Port: postgresPort)
        {
            Settings = Options.PostgresSettings,
        });
        Log("postgres started");
    }
}
