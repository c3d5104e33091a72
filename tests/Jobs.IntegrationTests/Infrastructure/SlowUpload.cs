using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Jobs.IntegrationTests.Infrastructure;

/// <summary>
/// A <c>POST /api/uploads</c> from a client that sends its body slowly, over a raw socket so that the test decides the
/// pace: the request head at once, then <see cref="BytesPerTick"/> bytes every <see cref="Tick"/>. The response is
/// read as soon as the server sends it, even while the body is still on its way (a refusal or a timeout).
/// </summary>
public sealed class SlowUpload : IAsyncDisposable
{
    private readonly TcpClient tcp;
    private readonly NetworkStream stream;
    private readonly CancellationTokenSource stop = new();
    private long sent;

    private SlowUpload(TcpClient tcp, byte[] body, int bytesPerTick, TimeSpan tick)
    {
        this.tcp = tcp;
        stream = tcp.GetStream();
        Body = body;
        BytesPerTick = bytesPerTick;
        Tick = tick;
    }

    public byte[] Body { get; }

    public int BytesPerTick { get; }

    public TimeSpan Tick { get; }

    /// <summary>Body bytes written to the socket so far.</summary>
    public long Sent => Interlocked.Read(ref sent);

    /// <summary>Ends when the whole body is sent, the server closed the connection, or <see cref="AbortAsync"/> was called.</summary>
    public Task Sending { get; private set; } = Task.CompletedTask;

    /// <summary>The server's answer, whenever it comes.</summary>
    public Task<RawResponse> Response { get; private set; } = null!;

    /// <summary>
    /// Starts the upload of <paramref name="body"/> as a raw <c>text/csv</c> body with its Content-Length, or with
    /// <paramref name="declaredLength"/> instead when given (a client that says more than it sends).
    /// </summary>
    public static async Task<SlowUpload> StartAsync(
        HttpClient signedIn, byte[] body, int bytesPerTick, TimeSpan tick, long? declaredLength = null, string path = "/api/uploads?name=slow.csv")
    {
        var address = signedIn.BaseAddress!;
        var apiKey = signedIn.DefaultRequestHeaders.GetValues("X-Api-Key").Single();
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(address.Host, address.Port);
        var upload = new SlowUpload(tcp, body, bytesPerTick, tick);
        var head = $"POST {path} HTTP/1.1\r\nHost: {address.Authority}\r\nX-Api-Key: {apiKey}\r\nContent-Type: text/csv\r\n"
            + $"Content-Length: {(declaredLength ?? body.Length).ToString(CultureInfo.InvariantCulture)}\r\n\r\n";
        await upload.stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        upload.Response = upload.ReadResponseAsync();
        upload.Sending = upload.SendBodyAsync();
        return upload;
    }

    /// <summary>Waits until at least <paramref name="bytes"/> of the body are sent.</summary>
    public Task SentAtLeastAsync(long bytes) => Eventually.TrueAsync(() => Task.FromResult(Sent >= bytes), $"{bytes} bytes of the upload to be sent");

    /// <summary>Stops sending and closes the connection, as a client that gives up.</summary>
    public async Task AbortAsync()
    {
        await stop.CancelAsync();
        await Sending;
        tcp.Client.LingerState = new LingerOption(true, 0);
        tcp.Dispose();
    }

    private async Task SendBodyAsync()
    {
        try
        {
            for (var offset = 0; offset < Body.Length; offset += BytesPerTick)
            {
                await Task.Delay(Tick, stop.Token);
                var count = Math.Min(BytesPerTick, Body.Length - offset);
                await stream.WriteAsync(Body.AsMemory(offset, count), stop.Token);
                Interlocked.Add(ref sent, count);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Stopped by the test, or the server answered and closed the connection.
        }
    }

    private async Task<RawResponse> ReadResponseAsync()
    {
        var received = new List<byte>();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                received.AddRange(buffer.AsSpan(0, read));
                if (RawResponse.TryParse(received.ToArray(), out var complete))
                {
                    return complete;
                }
            }
        }
        catch (IOException) when (received.Count > 0)
        {
            // A reset after the answer: what arrived is the answer.
        }

        return RawResponse.TryParse(received.ToArray(), out var response)
            ? response
            : throw new IOException($"The connection ended without a complete response ({received.Count} bytes).");
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await Sending;
        tcp.Dispose();
        stop.Dispose();
    }
}
