using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Jobs.IntegrationTests.Infrastructure;

/// <summary>
/// A stand-in for an external service (Google Places, Hunter, NeverBounce) on a free loopback port: it records every
/// request as it arrived and answers with what <see cref="Respond"/> says, so that tests check both the requests our
/// clients send and how they read the answers, with no network beyond 127.0.0.1.
/// </summary>
public sealed class StubServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private WebApplication app = null!;

    /// <summary>Answers a request; called once per request, in arrival order (<see cref="RecordedRequest.Index"/>).</summary>
    public Func<RecordedRequest, StubResponse> Respond { get; set; } = _ => new StubResponse(404);

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. requests];

    public static async Task<StubServer> StartAsync(Func<RecordedRequest, StubResponse>? respond = null)
    {
        var stub = new StubServer();
        if (respond is not null)
        {
            stub.Respond = respond;
        }

        (stub.app, stub.BaseUrl) = await LoopbackApp.StartAsync(stub.HandleAsync);
        return stub;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        var recorded = new RecordedRequest(
            requests.Count,
            request.Method,
            request.Path.Value ?? "",
            request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()),
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            await reader.ReadToEndAsync(),
            DateTimeOffset.UtcNow);
        requests.Enqueue(recorded);

        var answer = Respond(recorded);
        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (answer.Json is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Json);
        }
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
