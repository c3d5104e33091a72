using Jobs.Core.Database;
using Jobs.Hosting.Local;
using Jobs.StoreTests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

[assembly: AssemblyFixture(typeof(PostgresFixture))]

namespace Jobs.StoreTests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL for the whole run (Jobs.Hosting.Local), migrated once by <see cref="Migrator"/> into a
/// template database. Most tests share one database made from it and keep apart by working in workspaces of their
/// own (<see cref="TestDatabase.NewWorkspaceAsync"/>); a test of a statement that spans every workspace (maintenance,
/// retention, ceilings) takes a database of its own (<see cref="CreateDatabaseAsync"/>), copied from the template in a
/// fraction of a second. <c>JOBS_TEST_POSTGRES</c> (an Npgsql connection string to a server where databases may be
/// created) uses an existing server instead, as the other test projects do.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"jobs-store-tests-{Environment.ProcessId}");
    private readonly string template = $"jobs_store_template_{Guid.NewGuid():N}"[..32];
    private PostgresServer? server;
    private string adminConnectionString = "";
    private NpgsqlDataSource admin = null!;

    /// <summary>The database most tests share, each in its own workspaces.</summary>
    public TestDatabase Shared { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var given = Environment.GetEnvironmentVariable("JOBS_TEST_POSTGRES");
        if (string.IsNullOrEmpty(given))
        {
            // Durability is not under test here: without fsync the many small commits of these tests cost no disk flush.
            server = await PostgresServer.StartAsync(new PostgresServerOptions(Path.Combine(root, "postgres"), DeleteDataOnDispose: true)
            {
                Settings = ["fsync=off", "synchronous_commit=off", "full_page_writes=off"],
            });
        }

        adminConnectionString = given is { Length: > 0 } ? given : server!.ConnectionString("postgres");
        admin = NpgsqlDataSource.Create(adminConnectionString);
        await ExecuteAsync($"CREATE DATABASE \"{template}\"");
        // Pooling off: CREATE DATABASE … TEMPLATE refuses a template that has a session open.
        var migrating = new NpgsqlConnectionStringBuilder(ConnectionString(template)) { Pooling = false }.ConnectionString;
        await using (var dataSource = NpgsqlDataSource.Create(migrating))
        {
            await new Migrator(dataSource, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);
        }

        Shared = await CreateDatabaseAsync();
    }

    /// <summary>A migrated database of the caller's own; disposing it drops it.</summary>
    public async Task<TestDatabase> CreateDatabaseAsync()
    {
        var name = $"jobs_store_{Guid.NewGuid():N}";
        // FILE_COPY copies the template's files whole: several times faster than the default (WAL_LOG) for a small
        // database, and the checkpoints it needs cost little on a server without fsync.
        await ExecuteAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\" STRATEGY FILE_COPY");
        return new TestDatabase(ConnectionString(name), () => ExecuteAsync($"DROP DATABASE \"{name}\" WITH (FORCE)"));
    }

    private string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = database }.ConnectionString;

    private async Task ExecuteAsync(string sql)
    {
        await using var command = admin.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Shared is not null)
        {
            await Shared.DisposeAsync();
        }

        if (server is not null)
        {
            await admin.DisposeAsync();
            await server.DisposeAsync();
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort: the temp folder is cleaned by the OS otherwise.
            }

            return;
        }

        // A server we were given keeps running: leave nothing of ours on it.
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{template}\" WITH (FORCE)");
        await admin.DisposeAsync();
    }
}
