using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Jobs.IntegrationTests.Infrastructure;

/// <summary>One request to the receiver, with which of its secrets verified which signatures (none: forged or unsigned).</summary>
public sealed record ReceivedWebhook(string Id, long Timestamp, string Body, IReadOnlyList<string> VerifiedSecrets, int SignatureCount, DateTimeOffset At, int Answered);

/// <summary>
/// A webhook receiver on a free loopback port that checks Standard Webhooks signatures with its own implementation
/// of the spec (not the product's): the key is the base64 after <c>whsec_</c>, the signed content
/// <c>{id}.{timestamp}.{body}</c>, the header a space-separated list of <c>v1,</c> + base64(HMAC-SHA256). It fails
/// the first <see cref="FailFirst"/> requests with <see cref="FailWith"/> and can be slow (<see cref="Delay"/>).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> received = new();
    private WebApplication app = null!;
    private int count;

    /// <summary>The secrets the receiver knows; a signature is verified when one of them produced it.</summary>
    public ConcurrentBag<string> Secrets { get; } = [];

    public int FailFirst { get; set; }

    public int FailWith { get; set; } = 500;

    public TimeSpan Delay { get; set; }

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<ReceivedWebhook> Received => [.. received];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        (receiver.app, var baseUrl) = await LoopbackApp.StartAsync(receiver.HandleAsync);
        receiver.Url = new Uri(baseUrl, "hooks/jobs");
        return receiver;
    }

    public Task WaitForAsync(int requests, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(() => Task.FromResult(received.Count >= requests), $"{requests} webhook requests (got {received.Count})", timeout);

    private async Task HandleAsync(HttpContext context)
    {
        var index = Interlocked.Increment(ref count);
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var id = context.Request.Headers["webhook-id"].ToString();
        var timestamp = long.TryParse(context.Request.Headers["webhook-timestamp"].ToString(), out var t) ? t : 0;
        var signatures = context.Request.Headers["webhook-signature"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var verified = Secrets.Where(secret => signatures.Any(s => s == Expected(secret, id, timestamp, body))).ToList();
        var answer = index <= FailFirst ? FailWith : 200;
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay);
        }

        received.Enqueue(new ReceivedWebhook(id, timestamp, body, verified, signatures.Length, DateTimeOffset.UtcNow, answer));
        context.Response.StatusCode = answer;
        await context.Response.WriteAsync(answer == 200 ? "ok" : "not now");
    }

    private static string Expected(string secret, string id, long timestamp, string body)
    {
        using var hmac = new HMACSHA256(Convert.FromBase64String(secret["whsec_".Length..]));
        return "v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
