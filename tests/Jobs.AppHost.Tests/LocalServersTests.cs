using Jobs.Hosting.Local;
using Jobs.Testing;
using Npgsql;

namespace Jobs.AppHost.Tests;

/// <summary>PostgresServer and RedisServer against the machine's real binaries.</summary>
public sealed class LocalServersTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"jobs-servers-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task PostgresServer_StartsAFreshCluster_AndCreatesADatabaseIdempotently()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await PostgresServer.StartAsync(new PostgresServerOptions(Path.Combine(_directory, "pg"), DeleteDataOnDispose: true), ct);

        await server.CreateDatabaseAsync("jobsdb", ct);
        await server.CreateDatabaseAsync("jobsdb", ct);

        await using var connection = new NpgsqlConnection(server.ConnectionString("jobsdb"));
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT current_database()", connection);
        (await command.ExecuteScalarAsync(ct)).ShouldBe("jobsdb");
    }

    [Fact]
    public async Task PostgresServer_PassesExtraSettings_OverridingTheFixedOnes()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = new PostgresServerOptions(Path.Combine(_directory, "pg"), DeleteDataOnDispose: true)
        {
            Settings = ["work_mem=7MB", "max_connections=123"],
        };
        await using var server = await PostgresServer.StartAsync(options, ct);

        await using var connection = new NpgsqlConnection(server.ConnectionString("postgres"));
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT current_setting('work_mem') || ' ' || current_setting('max_connections')", connection);
        (await command.ExecuteScalarAsync(ct)).ShouldBe("7MB 123");
    }

    [Fact]
    public async Task PostgresServer_RejectsAWrongPassword()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await PostgresServer.StartAsync(new PostgresServerOptions(Path.Combine(_directory, "pg"), DeleteDataOnDispose: true), ct);
        var wrong = new NpgsqlConnectionStringBuilder(server.ConnectionString("postgres")) { Password = "wrong", Pooling = false };

        await using var connection = new NpgsqlConnection(wrong.ConnectionString);

        await Should.ThrowAsync<PostgresException>(() => connection.OpenAsync(ct));
    }

    [Fact]
    public async Task PostgresServer_Dispose_StopsTheServer_AndDeletesThrowawayData()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = Path.Combine(_directory, "pg");
        var server = await PostgresServer.StartAsync(new PostgresServerOptions(data, DeleteDataOnDispose: true), ct);
        var pid = server.ProcessId;

        await server.DisposeAsync();

        ProcessTree.IsAlive(pid).ShouldBeFalse();
        Directory.Exists(data).ShouldBeFalse();
    }

    [Fact]
    public async Task RedisServer_RestartsOnTheSamePort_AfterAStop()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await RedisServer.StartAsync(new RedisServerOptions(Path.Combine(_directory, "redis"), DeleteDataOnDispose: true), ct);
        var port = server.Port;

        await server.StopAsync();
        server.ProcessId.ShouldBeNull();
        await server.RestartAsync(ct);

        server.Port.ShouldBe(port);
        server.ConnectionString.ShouldBe($"127.0.0.1:{port}");
        server.ProcessId.ShouldNotBeNull();
    }
}
