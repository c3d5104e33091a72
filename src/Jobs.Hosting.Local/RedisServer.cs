using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Jobs.Hosting.Local;

/// <summary>
/// A redis-server from the machine's binaries on 127.0.0.1. It can be stopped and restarted on the same port and
/// data directory, which is how tests simulate Redis going away and coming back.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly RedisServerOptions _options;
    private readonly string _dataDirectory;
    private ChildProcess? _process;

    private RedisServer(RedisServerOptions options, string dataDirectory, int port)
    {
        _options = options;
        _dataDirectory = dataDirectory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>StackExchange.Redis form, as Aspire injects it.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>Process id of the running server, or null while stopped.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>The server's last log lines, for failure reports.</summary>
    public IReadOnlyList<string> RecentOutput => _process?.RecentOutput ?? [];

    public static async Task<RedisServer> StartAsync(RedisServerOptions options, CancellationToken ct = default)
    {
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(dataDirectory);
        var server = new RedisServer(options, dataDirectory, options.Port == 0 ? FreePort.Next() : options.Port);
        await server.RestartAsync(ct);
        return server;
    }

    /// <summary>
    /// redis-server on 127.0.0.1 in the foreground, its working files in <paramref name="dataDirectory"/>. Without
    /// <paramref name="persist"/> it keeps nothing across restarts: Jobs keeps only wake-up hints and live events there.
    /// </summary>
    public static ProcessCommand ServerCommand(string dataDirectory, int port, bool persist)
    {
        string[] persistence = persist ? ["--appendonly", "yes"] : ["--save", "", "--appendonly", "no"];
        return new ProcessCommand(
            Executables.Find("redis-server", "/usr/bin", "/usr/local/bin"),
            ["--port", port.ToString(), "--bind", "127.0.0.1", "--dir", dataDirectory, "--daemonize", "no", .. persistence]);
    }

    /// <summary>Starts the server again on the same port and data directory (a no-op while it runs).</summary>
    public async Task RestartAsync(CancellationToken ct = default)
    {
        if (_process is { HasExited: false })
        {
            return;
        }

        _process?.Dispose();
        var command = ServerCommand(_dataDirectory, Port, _options.Persist);
        _process = ChildProcess.Start(command.FileName, command.Arguments, output: _options.Output);
        try
        {
            await WaitUntilReadyAsync(_process, ct);
        }
        catch
        {
            await StopAsync();
            throw;
        }
    }

    /// <summary>SIGTERM (Redis saves first when persisting) and waits for exit.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync(Signals.Terminate, StopGrace);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        if (_options.DeleteDataOnDispose && Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private async Task WaitUntilReadyAsync(ChildProcess process, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw Failure(process, $"redis-server exited with code {process.ExitCode} while starting");
            }

            if (await PingAsync(ct))
            {
                return;
            }

            if (clock.Elapsed > StartTimeout)
            {
                throw Failure(process, $"redis-server did not answer PING on port {Port} within {StartTimeout.TotalSeconds:0} s");
            }

            await Task.Delay(50, ct);
        }
    }

    private async Task<bool> PingAsync(CancellationToken ct)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port, ct);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), ct);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, ct);
            // "-LOADING" while a persisted dataset is read back: not ready yet.
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private static InvalidOperationException Failure(ChildProcess process, string message) =>
        new($"{message}. Last lines:{Environment.NewLine}{string.Join(Environment.NewLine, process.RecentOutput)}");
}
