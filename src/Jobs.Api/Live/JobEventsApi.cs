using System.Globalization;
using Jobs.Api.Auth;
using Jobs.Api.Jobs;
using Jobs.Api.OpenApi;
using Jobs.Api.Problems;
using Jobs.Api.Security;
using Jobs.Contracts.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Live;

/// <summary>
/// <c>GET /api/jobs/{id}/events</c>: a job's live updates as Server-Sent Events (docs/live-updates.md); and the stream
/// tokens with which a browser opens it, or the hub, without an API key in a URL (<see cref="StreamTokens"/>).
/// </summary>
public static class JobEventsApi
{
    public const string LastEventIdHeader = "Last-Event-ID";

    /// <summary>Maps the routes on the authenticated <c>/api</c> group that <see cref="JobsApi"/> maps.</summary>
    public static RouteGroupBuilder MapJobEventsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/jobs/{id}/events", StreamJobEvents)
            .WithName("StreamJobEvents")
            .AddOpenApiOperationTransformer(OpenApiDescriptions.EventStream)
            .WithSummary("The job's live updates as Server-Sent Events, until it reaches a final status");
        api.MapPost("/jobs/{id}/stream-token", CreateJobStreamToken)
            .WithName("CreateJobStreamToken")
            .WithNoStore()
            .WithSummary("A short-lived token that opens this job's event stream, or follows it on the hub, from a browser");
        api.MapPost("/stream-tokens", CreateWorkspaceStreamToken)
            .WithName("CreateWorkspaceStreamToken")
            .WithNoStore()
            .WithSummary("A short-lived token that follows every job of the workspace on the hub, or opens any job's event stream");
        return api;
    }

    /// <summary>True for <c>/api/jobs/{id}/events</c>, where a stream token is accepted.</summary>
    public static bool IsEventsPath(PathString path)
    {
        var segments = (path.Value ?? "").Trim('/').Split('/');
        return segments is [var api, var jobs, { Length: > 0 }, var events]
            && api.Equals("api", StringComparison.OrdinalIgnoreCase)
            && jobs.Equals("jobs", StringComparison.OrdinalIgnoreCase)
            && events.Equals("events", StringComparison.OrdinalIgnoreCase);
    }

    public static async Task<Results<Ok<StreamTokenResponse>, ProblemHttpResult>> CreateJobStreamToken(
        string id, [AsParameters] JobServices services, StreamTokens tokens, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var jobId) || await services.Store.JobGetAsync(services.Caller.WorkspaceId, jobId, cancellationToken) is null)
        {
            return ApiProblems.JobNotFound(id);
        }

        var (token, expiresAt) = await tokens.MintAsync(services.Caller, jobId, cancellationToken);
        return TypedResults.Ok(new StreamTokenResponse(token, expiresAt, jobId,
            $"/api/jobs/{jobId}/events?{ApiKeyAuthenticationHandler.AccessTokenQueryName}={token}", JobsHub.Path));
    }

    public static async Task<Ok<StreamTokenResponse>> CreateWorkspaceStreamToken(
        HttpContext context, StreamTokens tokens, CancellationToken cancellationToken)
    {
        var (token, expiresAt) = await tokens.MintAsync(context.User.ToCaller(), jobId: null, cancellationToken);
        return TypedResults.Ok(new StreamTokenResponse(token, expiresAt, null, null, JobsHub.Path));
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

        if (!StreamTokens.MayFollow(services.HttpContext.User, jobId))
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, "stream_token_scope", "Not this job",
                "This stream token follows another job: mint one for this job.");
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
