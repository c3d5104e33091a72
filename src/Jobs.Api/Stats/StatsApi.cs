using Jobs.Api.Auth;
using Jobs.Core.Catalog;
using Jobs.Core.Queue;
using Jobs.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

namespace Jobs.Api.Stats;

public static class StatsApi
{
    /// <summary>Workers whose heartbeat is younger than this are shown as live.</summary>
    private static readonly TimeSpan LiveWithin = TimeSpan.FromSeconds(45);

    public sealed record QueueDepth(string Queue, long PendingInWorkspace, long? StreamLength);

    public sealed record WorkerResponse(string Id, string Host, string[] Queues, int Slots, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt);

    public sealed record StatsResponse(
        IReadOnlyDictionary<string, long> Counts,
        IReadOnlyList<ThroughputPoint> ThroughputPerMinute,
        DurationPercentiles DurationSeconds,
        IReadOnlyList<QueueDepth> Queues,
        IReadOnlyList<WorkerResponse> Workers);

    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/stats", GetStats)
            .RequireAuthorization()
            .WithTags("Stats")
            .WithName("GetStats")
            .WithSummary("Counts by status, throughput per minute, duration percentiles, queue depth and live workers");
        return app;
    }

    public static async Task<Ok<StatsResponse>> GetStats(
        HttpContext httpContext,
        IJobStore store,
        IClusterStore cluster,
        JobTypeCatalog catalog,
        JobQueue queue,
        CancellationToken cancellationToken)
    {
        var caller = httpContext.User.ToCaller();
        var stats = await store.JobStatsGetAsync(caller.WorkspaceId, cancellationToken);
        var workers = await cluster.WorkerListLiveAsync(LiveWithin, cancellationToken);
        var queueNames = (await catalog.ListAsync(cancellationToken)).Select(t => t.Queue).Concat(stats.PendingByQueue.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

        var depths = new List<QueueDepth>();
        foreach (var name in queueNames)
        {
            long? length;
            try
            {
                length = await queue.LengthAsync(name);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                length = null; // Redis down: the database's count is still true.
            }

            depths.Add(new QueueDepth(name, stats.PendingByQueue.GetValueOrDefault(name), length));
        }

        return TypedResults.Ok(new StatsResponse(
            stats.CountsByStatus,
            stats.ThroughputPerMinute,
            stats.Durations,
            depths,
            workers.Select(w => new WorkerResponse(w.Id, w.Host, w.Queues, w.Slots, w.StartedAt, w.HeartbeatAt)).ToList()));
    }
}
