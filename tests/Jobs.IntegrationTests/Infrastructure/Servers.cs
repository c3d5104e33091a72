using Jobs.Hosting.Local;
using Jobs.IntegrationTests.Infrastructure;

[assembly: AssemblyFixture(typeof(Servers))]

namespace Jobs.IntegrationTests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL and one Redis for the whole run, on free loopback ports, stopped at the end. Each test
/// cluster gets its own database and Redis key prefix on them, so tests run in parallel without seeing each other.
/// <c>JOBS_TEST_POSTGRES</c> (an Npgsql connection string to a server where databases may be created) and
/// <c>JOBS_TEST_REDIS</c> use existing servers instead.
/// </summary>
public sealed class Servers : IAsyncLifetime
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"jobs-tests-{Environment.ProcessId}");
    private PostgresServer? postgres;
    private RedisServer? redis;

    public string PostgresAdminConnectionString { get; private set; } = "";

    public string RedisConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var givenPostgres = Environment.GetEnvironmentVariable("JOBS_TEST_POSTGRES");
        var givenRedis = Environment.GetEnvironmentVariable("JOBS_TEST_REDIS");
        var starting = new List<Task>();
        if (string.IsNullOrEmpty(givenPostgres))
        {
            starting.Add(Task.Run(async () => postgres = await PostgresServer.StartAsync(new PostgresServerOptions(Path.Combine(root, "postgres"), DeleteDataOnDispose: true))));
        }

        if (string.IsNullOrEmpty(givenRedis))
        {
            starting.Add(Task.Run(async () => redis = await RedisServer.StartAsync(new RedisServerOptions(Path.Combine(root, "redis"), DeleteDataOnDispose: true))));
        }

        await Task.WhenAll(starting);
        PostgresAdminConnectionString = givenPostgres is { Length: > 0 } ? givenPostgres : postgres!.ConnectionString("postgres");
        RedisConnectionString = givenRedis is { Length: > 0 } ? givenRedis : redis!.ConnectionString;
    }

    /// <summary>A new empty database on the shared server; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(PostgresAdminConnectionString);
        await using var command = dataSource.CreateCommand($"CREATE DATABASE \"{name}\"");
        await command.ExecuteNonQueryAsync();
        return new Npgsql.NpgsqlConnectionStringBuilder(PostgresAdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>A Redis of the test's own, for tests that stop, restart or flush it.</summary>
    public Task<RedisServer> StartPrivateRedisAsync() =>
        RedisServer.StartAsync(new RedisServerOptions(Path.Combine(root, $"redis-{Guid.NewGuid():N}"), DeleteDataOnDispose: true));

    public async ValueTask DisposeAsync()
    {
        if (redis is not null)
        {
            await redis.DisposeAsync();
        }

        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }

        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the temp folder is cleaned by the OS otherwise.
        }
    }
}
