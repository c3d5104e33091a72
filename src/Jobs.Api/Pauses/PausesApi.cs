using System.Text.RegularExpressions;
using Jobs.Api.Auth;
using Jobs.Api.Problems;
using Jobs.Contracts.Pauses;
using Jobs.Core.Engine.Pauses;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jobs.Api.Pauses;

/// <summary>
/// Paused queues and job types of the caller's workspace (docs/api.md, "Pauses"; docs/design.md, "Pausing"). Every
/// member may read them; only admins pause and resume. Pausing and resuming are idempotent: a second pause answers the
/// first one's pause, and resuming what is not paused answers 204 as well.
/// </summary>
public static partial class PausesApi
{
    private const int MaxNameLength = 200;

    public static RouteGroupBuilder MapPausesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/pauses")
            .RequireAuthorization()
            .WithTags("Pauses");

        api.MapGet("", ListPauses)
            .WithName("ListPauses")
            .WithSummary("The workspace's paused queues and job types");
        api.MapPut("/queues/{queue}", PauseQueue)
            .RequireAuthorization(CallerClaims.AdminPolicy)
            .WithName("PauseQueue")
            .WithSummary("Start none of the queue's pending jobs until resumed; running jobs go on (admin)");
        api.MapDelete("/queues/{queue}", ResumeQueue)
            .RequireAuthorization(CallerClaims.AdminPolicy)
            .WithName("ResumeQueue")
            .WithSummary("Start the queue's pending jobs again, at once (admin)");
        api.MapPut("/types/{type}", PauseType)
            .RequireAuthorization(CallerClaims.AdminPolicy)
            .WithName("PauseJobType")
            .WithSummary("Start none of the job type's pending jobs until resumed; running jobs go on (admin)");
        api.MapDelete("/types/{type}", ResumeType)
            .RequireAuthorization(CallerClaims.AdminPolicy)
            .WithName("ResumeJobType")
            .WithSummary("Start the job type's pending jobs again, at once (admin)");
        return api;
    }

    public static async Task<Ok<PauseListResponse>> ListPauses([AsParameters] PauseServices services, CancellationToken cancellationToken)
    {
        var pauses = await services.Store.PauseListAsync(services.Caller.WorkspaceId, cancellationToken);
        return TypedResults.Ok(new PauseListResponse([.. pauses.Queues.Select(Response)], [.. pauses.Types.Select(Response)]));
    }

    /// <summary>A queue that no job type runs on answers 404: a pause of it would hold back nothing.</summary>
    public static async Task<Results<Ok<PauseResponse>, ValidationProblem, ProblemHttpResult>> PauseQueue(
        string queue, [AsParameters] PauseServices services, CancellationToken cancellationToken)
    {
        if (BadName("queue", queue) is { } bad)
        {
            return bad;
        }

        var types = await services.Catalog.ListAsync(cancellationToken);
        if (!types.Any(t => t.Queue == queue))
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "queue_not_found", "Queue not found",
                $"No job type runs on a queue '{queue}'. Queues: {string.Join(", ", types.Select(t => t.Queue).Distinct().Order(StringComparer.Ordinal))}.");
        }

        return TypedResults.Ok(Response(await SetAsync(PauseKind.Queue, queue, services, cancellationToken)));
    }

    public static async Task<Results<Ok<PauseResponse>, ValidationProblem, ProblemHttpResult>> PauseType(
        string type, [AsParameters] PauseServices services, CancellationToken cancellationToken)
    {
        if (BadName("type", type) is { } bad)
        {
            return bad;
        }

        if (await services.Catalog.FindAsync(type, cancellationToken) is null)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "job_type_not_found", "Job type not found",
                $"'{type}' is not a job type that any worker runs.");
        }

        return TypedResults.Ok(Response(await SetAsync(PauseKind.Type, type, services, cancellationToken)));
    }

    /// <summary>Not checked against the job types: a type no worker runs any more can still be resumed.</summary>
    public static Task<Results<NoContent, ValidationProblem>> ResumeQueue(
        string queue, [AsParameters] PauseServices services, CancellationToken cancellationToken) =>
        ClearAsync(PauseKind.Queue, "queue", queue, services, cancellationToken);

    public static Task<Results<NoContent, ValidationProblem>> ResumeType(
        string type, [AsParameters] PauseServices services, CancellationToken cancellationToken) =>
        ClearAsync(PauseKind.Type, "type", type, services, cancellationToken);

    private static async Task<Pause> SetAsync(PauseKind kind, string name, PauseServices services, CancellationToken cancellationToken)
    {
        var caller = services.Caller;
        var pause = await services.Store.PauseSetAsync(caller, kind, name, cancellationToken);
        LogPaused(services.Logger, caller.WorkspaceId, KindName(kind), name, caller.UserId);
        return pause;
    }

    // The resume's fill runs now, as a freed slot's does, so the held-back jobs start within a second rather than at
    // maintenance's next tick (which would hint them too).
    private static async Task<Results<NoContent, ValidationProblem>> ClearAsync(
        PauseKind kind, string field, string name, PauseServices services, CancellationToken cancellationToken)
    {
        if (BadName(field, name) is { } bad)
        {
            return bad;
        }

        var caller = services.Caller;
        if (await services.Store.PauseClearAsync(caller, kind, name, cancellationToken))
        {
            LogResumed(services.Logger, caller.WorkspaceId, KindName(kind), name, caller.UserId);
            await services.Submitter.HintNextAsync(caller.WorkspaceId);
        }

        return TypedResults.NoContent();
    }

    private static ValidationProblem? BadName(string field, string name) =>
        name.Length > MaxNameLength || !NamePattern().IsMatch(name)
            ? ApiProblems.Validation(field, $"must be 1–{MaxNameLength} letters, digits, '.', '-', '_' or ':', starting with a letter or digit.")
            : null;

    private static PauseResponse Response(Pause pause) => new(pause.Name, pause.PausedAt, pause.PausedBy, pause.PausedByEmail);

    private static string KindName(PauseKind kind) => kind == PauseKind.Queue ? "queue" : "job type";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]*$")]
    private static partial Regex NamePattern();

    // The Aspire dashboard's structured logs show who paused what (docs/design.md, "Pausing").
    [LoggerMessage(Level = LogLevel.Information, Message = "Workspace {WorkspaceId}: {Kind} {Name} paused by user {UserId}")]
    private static partial void LogPaused(ILogger logger, Guid workspaceId, string kind, string name, Guid userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workspace {WorkspaceId}: {Kind} {Name} resumed by user {UserId}")]
    private static partial void LogResumed(ILogger logger, Guid workspaceId, string kind, string name, Guid userId);
}
