using System.Globalization;
using Jobs.Api.Auth;
using Jobs.Api.Jobs;
using Jobs.Api.Problems;
using Jobs.Core.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Live;

/// <summary><c>GET /api/jobs/{id}/events</c>: a job's live updates as Server-Sent Events (DESIGN §6, §7).</summary>
public static class JobEventsApi
{
    public const string LastEventIdHeader = "Last-Event-ID";

    /// <summary>Maps the route on the authenticated <c>/api</c> group that <see cref="JobsApi"/> maps.</summary>
    public static RouteGroupBuilder MapJobEventsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/jobs/{id}/events", StreamJobEvents)
            .WithName("StreamJobEvents")
            .WithSummary("The job's live updates as Server-Sent Events, until it reaches a final status");
        return api;
    }

    public static async Task<Results<JobEventStreamResult, NoContent, ProblemHttpResult>> StreamJobEvents(
        string id,
        [FromHeader(Name = LastEventIdHeader)] string? lastEventId,
        [AsParameters] JobServices services,
        JobUpdateDispatcher dispatcher,
        ApiKeyConnections connections,
        IOptions<ApiOptions> options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var jobId))
        {
            return ApiProblems.JobNotFound(id);
        }

        var workspaceId = services.Caller.WorkspaceId;
        // Listen before reading the row: an update published between the two is then buffered rather than lost, and
        // the stream skips whatever the row already covers. Disposed with the request, whichever way it ends.
        var listener = dispatcher.Listen(jobId, workspaceId);
        services.HttpContext.Response.RegisterForDispose(listener);
        if (await services.Store.JobGetAsync(workspaceId, jobId, cancellationToken) is not { } job)
        {
            return ApiProblems.JobNotFound(id);
        }

        // A malformed Last-Event-ID is treated as none: the client then gets the row again, which is always safe. So is
        // one beyond the job's sequence, which this server never sent (another job's id, a client's own counter):
        // trusted, it would hide every update up to it, the final one included, and the stream would never end.
        long? seen = long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed <= job.Version
            ? parsed
            : null;
        if (JobStatus.IsFinal(job.Status) && seen >= job.Version)
        {
            // The client has the final state already. 204 is how SSE tells a browser's EventSource to stop
            // reconnecting; an empty 200 would have it reconnect every few seconds forever.
            return TypedResults.NoContent();
        }

        // The stream ends (and the client's reconnection gets 401) as soon as the key it opened with is revoked.
        var revoked = new CancellationTokenSource();
        services.HttpContext.Response.RegisterForDispose(revoked);
        if (connections.Track(services.HttpContext.User, revoked.Cancel) is { } tracked)
        {
            services.HttpContext.Response.RegisterForDispose(tracked);
        }

        return new JobEventStreamResult(job, listener, seen, options.Value.SseHeartbeatInterval, time, revoked.Token);
    }
}
