using System.Diagnostics;
using Npgsql;

namespace Jobs.Hosting.Local;

/// <summary>
/// A throwaway or test PostgreSQL server (<see cref="PostgresCluster"/>) started and stopped by this process. The pid
/// held is the postmaster itself, so one SIGINT is a fast shutdown of the whole server.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    private readonly PostgresServerOptions _options;
    private readonly string _dataDirectory;
    private readonly ChildProcess _process;

    private PostgresServer(PostgresServerOptions options, string dataDirectory, int port, ChildProcess process)
    {
        _options = options;
        _dataDirectory = dataDirectory;
        Port = port;
        _process = process;
    }

    public int Port { get; }

    /// <summary>Process id of the postmaster.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The server's last log lines, for failure reports.</summary>
    public IReadOnlyList<string> RecentOutput => _process.RecentOutput;

    public static async Task<PostgresServer> StartAsync(PostgresServerOptions options, CancellationToken ct = default)
    {
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        await PostgresCluster.InitializeAsync(dataDirectory, options.Password, ct);

        var port = options.Port == 0 ? FreePort.Next() : options.Port;
        var command = PostgresCluster.ServerCommand(dataDirectory, port, options.Settings);
        var process = ChildProcess.Start(
            command.FileName, command.Arguments, workingDirectory: PostgresCluster.WorkingDirectory, output: options.Output);
        var server = new PostgresServer(options, dataDirectory, port, process);
        try
        {
            await server.WaitUntilReadyAsync(ct);
            return server;
        }
        catch
        {
            await server.StopAsync();
            throw;
        }
    }

    /// <summary>Npgsql form, for the <c>postgres</c> user.</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = PostgresCluster.ServiceUser,
        Password = _options.Password,
        Database = database,
    }.ConnectionString;

    /// <summary>Creates the database unless it exists.</summary>
    public Task CreateDatabaseAsync(string database, CancellationToken ct = default) =>
        PostgresCluster.CreateDatabaseAsync(ConnectionString("postgres"), database, ct);

    /// <summary>Fast shutdown (SIGINT: roll back open transactions, disconnect, checkpoint) and waits for exit.</summary>
    public async Task StopAsync()
    {
        // Pooled connections to a stopped server would fail on first use instead of reconnecting cleanly.
        NpgsqlConnection.ClearAllPools();
        await _process.StopAsync(Signals.Interrupt, StopGrace);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        if (_options.DeleteDataOnDispose && Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken ct)
    {
        var probe = new NpgsqlConnectionStringBuilder(ConnectionString("postgres")) { Pooling = false, Timeout = 2 }.ConnectionString;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw Failure($"PostgreSQL exited with code {_process.ExitCode} while starting");
            }

            try
            {
                await using var connection = new NpgsqlConnection(probe);
                await connection.OpenAsync(ct);
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && !ct.IsCancellationRequested)
            {
                if (clock.Elapsed > StartTimeout)
                {
                    throw Failure($"PostgreSQL did not accept connections on port {Port} within {StartTimeout.TotalSeconds:0} s ({e.Message})");
                }
            }

            await Task.Delay(100, ct);
        }
    }

    private InvalidOperationException Failure(string message) =>
        new($"{message}. Last lines:{Environment.NewLine}{string.Join(Environment.NewLine, _process.RecentOutput)}");
}
