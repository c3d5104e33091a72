using Npgsql;

namespace Jobs.Hosting.Local;

/// <summary>
/// A PostgreSQL cluster from the machine's binaries: its data directory made ready once (initdb) and the command line
/// of its server. PostgreSQL refuses to run as root, so a root caller gets both as the <c>postgres</c> user (through
/// <c>setpriv</c>, which execs in place: the pid a supervisor holds is the postmaster itself). Shared by the AppHost's
/// local resource and the tests' throwaway <see cref="PostgresServer"/>.
/// </summary>
public static class PostgresCluster
{
    public const string ServiceUser = "postgres";

    /// <summary>Run from "/": the service user may not be allowed into the caller's working directory (initdb warns).</summary>
    public const string WorkingDirectory = "/";

    /// <summary>
    /// The server on 127.0.0.1 only, with no Unix socket (nothing here uses one, and its default directory may not
    /// exist or be writable). <paramref name="settings"/> (<c>name=value</c>) come after the fixed ones, so one may
    /// override them.
    /// </summary>
    public static ProcessCommand ServerCommand(string dataDirectory, int port, IEnumerable<string>? settings = null) =>
        AsServiceUser(
            Path.Combine(Executables.PostgresBinDirectory(), "postgres"),
            // max_connections: every process (api, each worker, the tests) has an Npgsql pool of up to 100 connections;
            // 200 ran out under 200 running jobs, and a refused connection fails writes that a wait would have saved.
            ["-D", dataDirectory, "-p", port.ToString(), "-k", "", "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=500",
                .. (settings ?? []).SelectMany(setting => new[] { "-c", setting })]);

    /// <summary>
    /// Creates the cluster with <c>initdb</c> unless <paramref name="dataDirectory"/> already holds one, and hands the
    /// directory to the service user. Password authentication over TCP, as in a real deployment, so a connection
    /// string that lost its password fails here too.
    /// </summary>
    public static async Task InitializeAsync(string dataDirectory, string password, CancellationToken ct = default)
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
            // --no-sync: a throwaway or dev cluster need not wait for the disk.
            var initdb = AsServiceUser(
                Path.Combine(Executables.PostgresBinDirectory(), "initdb"),
                ["-D", dataDirectory, "-U", ServiceUser, $"--pwfile={passwordFile}", "--auth-host=scram-sha-256",
                    "--auth-local=trust", "-E", "UTF8", "--no-locale", "--no-sync"]);
            using var process = ChildProcess.Start(initdb.FileName, initdb.Arguments, workingDirectory: WorkingDirectory);
            await process.Exited.WaitAsync(ct);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"initdb failed for {dataDirectory} (exit {process.ExitCode}):{Environment.NewLine}{string.Join(Environment.NewLine, process.RecentOutput)}");
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    /// <summary>Creates <paramref name="database"/> unless it exists, over a connection to the server's own database.</summary>
    public static async Task CreateDatabaseAsync(string serverConnectionString, string database, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(serverConnectionString);
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

    private static ProcessCommand AsServiceUser(string executable, IReadOnlyList<string> arguments) =>
        Environment.IsPrivilegedProcess
            ? new ProcessCommand(Executables.Find("setpriv", "/usr/bin", "/bin"), [$"--reuid={ServiceUser}", $"--regid={ServiceUser}", "--init-groups", "--", executable, .. arguments])
            : new ProcessCommand(executable, arguments);

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

        LetServiceUserReach(path);
        using var chown = ChildProcess.Start("chown", ["-R", $"{ServiceUser}:{ServiceUser}", path]);
        await chown.Exited.WaitAsync(ct);
        if (chown.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown {path} failed: {string.Join(" ", chown.RecentOutput)}");
        }
    }

    /// <summary>
    /// Lets the service user reach <paramref name="path"/>: a folder above it that others cannot enter (a checkout in a
    /// <c>mktemp -d</c> folder, a home directory of mode 700) gets the right to be passed through (o+x), nothing more:
    /// its contents stay unlistable and unreadable to others.
    /// </summary>
    private static void LetServiceUserReach(string path)
    {
        if (!Environment.IsPrivilegedProcess || OperatingSystem.IsWindows())
        {
            return;
        }

        for (var folder = Directory.GetParent(Path.GetFullPath(path)); folder is not null; folder = folder.Parent)
        {
            var mode = File.GetUnixFileMode(folder.FullName);
            if (!mode.HasFlag(UnixFileMode.OtherExecute))
            {
                File.SetUnixFileMode(folder.FullName, mode | UnixFileMode.OtherExecute);
            }
        }
    }
}
