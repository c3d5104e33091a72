using Jobs.Api.Auth;
using Jobs.Core.Engine.Catalog;
using Jobs.Contracts.Stats;
using Jobs.Core.Engine.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jobs.Api.Stats;

/// <summary>
/// The dashboard's figures for the caller's workspace only. Platform-wide figures (every worker host, the streams'
/// length across workspaces) would tell one tenant about the others' load; operators read them from telemetry
/// (<c>jobs.queue.depth</c>, the workers' own metrics) instead.
/// </summary>
public static class StatsApi
{
    /// <summary>Workers whose heartbeat is younger than this are shown as live.</summary>
    private static readonly TimeSpan LiveWithin = TimeSpan.FromSeconds(45);

    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/stats", GetStats)
            .RequireAuthorization()
            .WithTags("Stats")
            .WithName("GetStats")
            .WithSummary("The workspace's counts by status, throughput per minute, duration percentiles, pending jobs per queue, and the workers running its jobs");
        return app;
    }

    public static async Task<Ok<StatsResponse>> GetStats(
        HttpContext httpContext,
        IJobStore store,
        IClusterStore cluster,
        JobTypeCatalog catalog,
        CancellationToken cancellationToken)
    {
        var caller = httpContext.User.ToCaller();
        var stats = await store.JobStatsGetAsync(caller.WorkspaceId, cancellationToken);
        var queueNames = (await catalog.ListAsync(cancellationToken)).Select(t => t.Queue).Concat(stats.PendingByQueue.Keys)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        // Only the live workers that hold one of the workspace's jobs; a dead one's jobs are about to be rescued.
        var workers = stats.RunningByWorker.Count == 0
            ? []
            : (await cluster.WorkerListLiveAsync(LiveWithin, cancellationToken))
                .Where(w => stats.RunningByWorker.ContainsKey(w.Id))
                .Select(w => new WorkerResponse(w.Id, stats.RunningByWorker[w.Id], w.HeartbeatAt))
                .ToList();

        return TypedResults.Ok(new StatsResponse(
            stats.CountsByStatus,
            stats.ThroughputPerMinute,
            stats.Durations,
            [.. queueNames.Select(name => new QueueDepth(name, stats.PendingByQueue.GetValueOrDefault(name)))],
            workers));
    }
}
