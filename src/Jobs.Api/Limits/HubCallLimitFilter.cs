using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Limits;

/// <summary>
/// Limits calls on the SignalR hub as requests are limited: each connection may make <see cref="ApiOptions.HubCallBurst"/>
/// calls at once and <see cref="ApiOptions.HubCallsPerSecond"/> after that (in process, before any Redis round trip or
/// query), and every call that passes counts against the key's requests per minute (<see cref="KeyRequestLimiter"/>),
/// so a key's limit holds whichever way it is used. A refused call fails with a <see cref="HubException"/> whose message
/// starts with <c>rate_limited:</c> and says when to try again; the connection stays open.
/// </summary>
/// <remarks>
/// SignalR logs every failed call at error level, so a client that called on through <see cref="RefusalsBeforeClose"/>
/// refusals in a row, which it is evidently not reading, has its connection closed: a flood of calls must not become
/// a flood of log lines. Reconnecting is an HTTP request, which the key's limit counts.
/// </remarks>
public sealed class HubCallLimitFilter(
    KeyRequestLimiter keyLimiter,
    IOptions<ApiOptions> options,
    TimeProvider time,
    ILogger<HubCallLimitFilter> logger) : IHubFilter
{
    public const int RefusalsBeforeClose = 10;

    private static readonly object StateItem = new();

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var context = invocationContext.Context;
        var state = StateOf(context);
        if (state.Closing || context.ConnectionAborted.IsCancellationRequested)
        {
            // Calls the closing connection had already sent: no answer would reach the client, and a refusal would
            // only be logged. Abort() cancels ConnectionAborted from the thread pool, later under load: the state's own
            // flag holds from the moment this filter decided to close.
            return null;
        }

        if (!state.Bucket.TryTake(out var wait))
        {
            var limits = options.Value;
            throw Refuse(context, state,
                $"too many calls on this connection (at most {limits.HubCallBurst} at once, then {limits.HubCallsPerSecond} a second). "
                + $"Try again in {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} s.");
        }

        if (await keyLimiter.HitAsync(context.User, context.ConnectionAborted) is { Decision.Allowed: false } hit)
        {
            throw Refuse(context, state,
                $"this workspace allows {hit.Limit} requests per minute per API key, hub calls included. Try again in {hit.Decision.RetryAfterSeconds} s.");
        }

        state.Served();
        return await next(invocationContext);
    }

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        StateOf(context.Context);
        return next(context);
    }

    private HubException Refuse(HubCallerContext context, ConnectionState state, string detail)
    {
        if (state.Refused() == RefusalsBeforeClose)
        {
            state.Close();
            logger.LogWarning("Closing SignalR connection {ConnectionId}: it called on through {Refusals} refusals in a row", context.ConnectionId, RefusalsBeforeClose);
            context.Abort();
        }

        return new HubException($"rate_limited: {detail}");
    }

    private ConnectionState StateOf(HubCallerContext context)
    {
        if (context.Items.TryGetValue(StateItem, out var item) && item is ConnectionState state)
        {
            return state;
        }

        var limits = options.Value;
        state = new ConnectionState(new CallBucket(limits.HubCallBurst, limits.HubCallsPerSecond, time));
        context.Items[StateItem] = state;
        return state;
    }

    private sealed class ConnectionState(CallBucket bucket)
    {
        private int refusedInARow;

        public CallBucket Bucket { get; } = bucket;

        private volatile bool closing;

        /// <summary>True once this filter closed the connection.</summary>
        public bool Closing => closing;

        public void Close() => closing = true;

        /// <summary>Counts a refusal; returns how many came in a row.</summary>
        public int Refused() => Interlocked.Increment(ref refusedInARow);

        public void Served() => Interlocked.Exchange(ref refusedInARow, 0);
    }
}
