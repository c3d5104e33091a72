using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Jobs.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace Jobs.Worker.Webhooks;

/// <summary>What one attempt got: a 2xx answer is a success; <see cref="Gone"/> is a 410, which disables the endpoint.</summary>
public sealed record WebhookSendResult(bool Succeeded, bool Gone, DateTimeOffset StartedAt, int DurationMs, int? StatusCode, string? Error, string? ResponseBody);

/// <summary>
/// Sends one signed delivery (docs/design.md, "Webhooks"). Its own HTTP handler, not the service defaults' resilient
/// one: the dispatcher owns retries. It connects only to addresses <see cref="WebhookAddressPolicy"/> allows, checked
/// on the very addresses it connects to (DNS may have changed since registration), uses no proxy (which would connect
/// for it) and follows no redirect. It reads at most <see cref="MaxResponseBytes"/> of an answer.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    public const int MaxResponseBytes = 4096;
    public const int MaxResponseExcerpt = 1024;

    private readonly HttpClient client;
    private readonly WebhookOptions options;
    private readonly TimeProvider time;

    public WebhookSender(WebhookAddressPolicy addresses, IOptions<WebhookOptions> options, TimeProvider time)
    {
        this.options = options.Value;
        this.time = time;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            // Pooled connections were checked when made; a short life makes a DNS change count within a minute.
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectTimeout = this.options.AttemptTimeout,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(addresses, context, cancellationToken),
        };
        client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Jobs-Webhooks/1.0");
    }

    public async Task<WebhookSendResult> SendAsync(WebhookDispatch dispatch, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var timestamp = startedAt.ToUnixTimeSeconds();
        var messageId = dispatch.DeliveryId.ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, dispatch.Url)
        {
            Content = new StringContent(dispatch.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", messageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Header(messageId, timestamp, dispatch.Body, dispatch.Secret, dispatch.PreviousSecret));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.AttemptTimeout);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var excerpt = await ReadExcerptAsync(response, timeout.Token);
            var status = (int)response.StatusCode;
            var succeeded = status is >= 200 and < 300;
            string? error = succeeded ? null
                : status is >= 300 and < 400 ? $"HTTP {status}: redirects are not followed{(response.Headers.Location is { } to ? $" (to {to})" : "")}."
                : $"HTTP {status} {response.ReasonPhrase}".TrimEnd() + ".";
            return new WebhookSendResult(succeeded, response.StatusCode == HttpStatusCode.Gone, startedAt, Elapsed(watch), status, error, excerpt);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failure(startedAt, watch, $"No answer within {options.AttemptTimeout.TotalSeconds:0.###} s.");
        }
        catch (HttpRequestException ex)
        {
            return Failure(startedAt, watch, Describe(ex));
        }
    }

    private static WebhookSendResult Failure(DateTimeOffset startedAt, Stopwatch watch, string error) =>
        new(false, false, startedAt, Elapsed(watch), null, error, null);

    private static int Elapsed(Stopwatch watch) => (int)Math.Min(int.MaxValue, watch.ElapsedMilliseconds);

    // The innermost message says what happened (refused address, connection refused, TLS); the outer one only "error".
    private static string Describe(Exception ex)
    {
        var refused = ex as WebhookAddressRefusedException ?? ex.InnerException as WebhookAddressRefusedException
            ?? ex.InnerException?.InnerException as WebhookAddressRefusedException;
        if (refused is not null)
        {
            return "Refused: " + refused.Message;
        }

        return ex.InnerException is { } inner && !ex.Message.Contains(inner.Message, StringComparison.Ordinal) ? $"{ex.Message} ({inner.Message})" : ex.Message;
    }

    private static async Task<string?> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxResponseBytes];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }

        if (read == 0)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, read);
        return text.Length <= MaxResponseExcerpt ? text : text[..MaxResponseExcerpt];
    }

    private static async ValueTask<Stream> ConnectAsync(WebhookAddressPolicy addresses, SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var allowed = await addresses.ResolveAsync(context.DnsEndPoint.Host, cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => client.Dispose();
}
