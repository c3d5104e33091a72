using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Jobs.Api.Auth;

/// <summary>
/// Ends the SignalR connections made with a key when the key's lookup is evicted on this instance (revoked, signed out,
/// or its user's role changed; <see cref="ApiKeyCache.Evicted"/>). A connection authenticates only when it opens, so
/// without this a revoked key would keep hearing its workspace's updates; a client whose key is still valid simply
/// reconnects, with its current role.
/// </summary>
public sealed class ApiKeyHubFilter : IHubFilter
{
    /// <summary>The claim <see cref="ApiKeyAuthenticationHandler"/> puts the key's hash in, to find its connections.</summary>
    public const string KeyHashClaim = "jobs:api_key_hash";

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, HubCallerContext>> connections = new();
    private readonly ILogger<ApiKeyHubFilter> logger;

    public ApiKeyHubFilter(ApiKeyCache keys, ILogger<ApiKeyHubFilter> logger)
    {
        this.logger = logger;
        keys.Evicted += Abort;
    }

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        if (HashOf(context.Context) is { } hash)
        {
            connections.GetOrAdd(hash, _ => new()).TryAdd(context.Context.ConnectionId, context.Context);
        }

        await next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        if (HashOf(context.Context) is { } hash && connections.TryGetValue(hash, out var forKey))
        {
            forKey.TryRemove(context.Context.ConnectionId, out _);
            if (forKey.IsEmpty)
            {
                connections.TryRemove(KeyValuePair.Create(hash, forKey));
            }
        }

        await next(context, exception);
    }

    private void Abort(string hash)
    {
        if (!connections.TryRemove(hash, out var forKey))
        {
            return;
        }

        foreach (var connection in forKey.Values)
        {
            connection.Abort();
        }

        logger.LogInformation("Closed {Count} SignalR connections of an evicted API key", forKey.Count);
    }

    private static string? HashOf(HubCallerContext context) => context.User?.FindFirst(KeyHashClaim)?.Value;
}
