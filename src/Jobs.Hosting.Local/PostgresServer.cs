using System.Diagnostics;
using Npgsql;

namespace Jobs.Hosting.Local;

/// <summary>
/// A PostgreSQL server from the machine's binaries, listening on 127.0.0.1 only. When this process runs as root
/// (PostgreSQL refuses to), the server runs as the <c>postgres</c> user through <c>setpriv</c>, which execs in
/// place: the pid held is the postmaster itself, so one SIGINT is a fast shutdown of the whole server.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string ServiceUser = "postgres";
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
        var bin = Executables.PostgresBinDirectory();
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        await InitializeIfNeededAsync(bin, dataDirectory, options.Password, ct);

        var port = options.Port == 0 ? FreePort.Next() : options.Port;
        // No Unix socket (-k ""): nothing here uses one, and its default directory may not exist or be writable.
        // max_connections: every process (api, each worker, the tests) has an Npgsql pool of up to 100 connections;
        // 200 ran out under 200 running jobs, and a refused connection fails writes that a wait would have saved.
        var process = StartAsServiceUser(
            Path.Combine(bin, "postgres"),
            ["-D", dataDirectory, "-p", port.ToString(), "-k", "", "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=500",
                .. options.Settings.SelectMany(setting => new[] { "-c", setting })],
            options.Output,
            options.NewSession);
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
        Username = ServiceUser,
        Password = _options.Password,
        Database = database,
    }.ConnectionString;

    /// <summary>Creates the database unless it exists.</summary>
    public async Task CreateDatabaseAsync(string database, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
        {
            Parameters = { new() { Value = database } },
        };
        if (await exists.ExecuteScalarAsync(ct) is not null)
        {
            return;
        }

        // CREATE DATABASE takes no parameters; the name is quoted as an identifier instead.
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
        try
        {
            await create.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another caller created it between the check and here.
        }
    }

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

    private static async Task InitializeIfNeededAsync(string bin, string dataDirectory, string password, CancellationToken ct)
    {
        Directory.CreateDirectory(dataDirectory);
        if (File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            await GiveToServiceUserAsync(dataDirectory, ct);
            return;
        }

        var passwordFile = Path.Combine(Path.GetTempPath(), $"jobs-pg-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(passwordFile, password, ct);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        try
        {
            await GiveToServiceUserAsync(passwordFile, ct);
            await GiveToServiceUserAsync(dataDirectory, ct);
            // Password authentication over TCP, as in a real deployment, so a connection string that lost its
            // password fails here too. --no-sync: a throwaway or dev cluster need not wait for the disk.
            using var initdb = StartAsServiceUser(
                Path.Combine(bin, "initdb"),
                ["-D", dataDirectory, "-U", ServiceUser, $"--pwfile={passwordFile}", "--auth-host=scram-sha-256",
                    "--auth-local=trust", "-E", "UTF8", "--no-locale", "--no-sync"],
                output: null,
                newSession: false);
            await initdb.Exited.WaitAsync(ct);
            if (initdb.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"initdb failed for {dataDirectory} (exit {initdb.ExitCode}):{Environment.NewLine}{string.Join(Environment.NewLine, initdb.RecentOutput)}");
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private static ChildProcess StartAsServiceUser(string executable, IReadOnlyList<string> arguments, Action<string>? output, bool newSession)
    {
        // "/" as working directory: the service user may not be allowed into ours (initdb warns about it).
        if (!Environment.IsPrivilegedProcess)
        {
            return ChildProcess.Start(executable, arguments, workingDirectory: "/", output: output, newSession: newSession);
        }

        return ChildProcess.Start(
            "setpriv",
            [$"--reuid={ServiceUser}", $"--regid={ServiceUser}", "--init-groups", "--", executable, .. arguments],
            workingDirectory: "/",
            output: output,
            newSession: newSession);
    }

    private static async Task GiveToServiceUserAsync(string path, CancellationToken ct)
    {
        if (Directory.Exists(path) && !OperatingSystem.IsWindows())
        {
            // PostgreSQL refuses a data directory that others can read.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return;
        }

        using var chown = ChildProcess.Start("chown", ["-R", $"{ServiceUser}:{ServiceUser}", path]);
        await chown.Exited.WaitAsync(ct);
        if (chown.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown {path} failed: {string.Join(" ", chown.RecentOutput)}");
        }
    }
}
