using Jobs.Api.Jobs;
using Jobs.Api.Limits;
using Jobs.Api.Paging;
using Jobs.Api.Problems;
using Jobs.Contracts.Jobs;
using Jobs.Contracts.Schedules;
using Jobs.Core.Engine.Schedules;
using Jobs.Core.Engine.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Jobs.Api.Schedules;

/// <summary>
/// Recurring schedules (docs/api.md, "Schedules"). Scoped to the caller's workspace: another workspace's schedule
/// answers exactly like one that does not exist (docs/design.md, "Tenancy"). Every member may read, create, edit,
/// pause, resume and run a schedule; only its creator or an admin may delete it.
/// </summary>
public static class SchedulesApi
{
    public static RouteGroupBuilder MapSchedulesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api")
            .RequireAuthorization()
            .WithTags("Schedules");

        api.MapPost("/schedules", CreateSchedule)
            .WithName("CreateSchedule")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Create a schedule: a job of a type, made at every tick of a cron expression in a time zone");
        api.MapGet("/schedules", ListSchedules)
            .WithName("ListSchedules")
            .WithSummary("Schedules, newest first, with keyset pagination");
        api.MapGet("/schedules/{id}", GetSchedule)
            .WithName("GetSchedule")
            .WithSummary("One schedule, with its next five run times");
        api.MapPut("/schedules/{id}", ReplaceSchedule)
            .WithName("ReplaceSchedule")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Replace a schedule's definition");
        api.MapPatch("/schedules/{id}", UpdateSchedule)
            .WithName("UpdateSchedule")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Change some of a schedule's fields");
        api.MapPost("/schedules/{id}/pause", PauseSchedule)
            .WithName("PauseSchedule")
            .WithSummary("Stop making jobs until resumed");
        api.MapPost("/schedules/{id}/resume", ResumeSchedule)
            .WithName("ResumeSchedule")
            .WithSummary("Make jobs again from the next tick on; ticks that passed while paused make none");
        api.MapPost("/schedules/{id}/run", RunSchedule)
            .WithName("RunSchedule")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Make one job now, as a submit by the caller; not a tick");
        api.MapDelete("/schedules/{id}", DeleteSchedule)
            .WithName("DeleteSchedule")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Delete a schedule (its creator or an admin); the jobs it made stay");
        return api;
    }

    public static async Task<Results<Created<ScheduleResponse>, ValidationProblem, ProblemHttpResult>> CreateSchedule(
        [FromBody] ScheduleRequest? request, [AsParameters] ScheduleServices services, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var definition = await services.Validator.ValidateAsync(request, null, await services.LimitsAsync(cancellationToken), errors, cancellationToken);
        if (definition is null)
        {
            return ApiProblems.Validation(errors);
        }

        var caller = services.Caller;
        if (await services.Store.ScheduleCreateAsync(caller.WorkspaceId, caller.UserId, definition, request!.Paused ?? false, cancellationToken) is not { } schedule)
        {
            return NameTaken(definition.Name);
        }

        return TypedResults.Created($"/api/schedules/{schedule.Id}", ScheduleResponse.From(schedule));
    }

    public static async Task<Results<Ok<ScheduleListResponse>, ValidationProblem>> ListSchedules(
        string? limit, string? cursor, [AsParameters] ScheduleServices services, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var size = PageQuery.ParseLimit(limit, errors);
        var after = PageQuery.ParseIdCursor(cursor, errors);
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var page = await services.Store.ScheduleListAsync(services.Caller.WorkspaceId, size, after, cancellationToken);
        return TypedResults.Ok(new ScheduleListResponse(page.Items.Select(ScheduleResponse.From).ToList(), page.NextCursor?.ToString()));
    }

    public static async Task<Results<Ok<ScheduleResponse>, ProblemHttpResult>> GetSchedule(
        string id, [AsParameters] ScheduleServices services, CancellationToken cancellationToken) =>
        await FindAsync(id, services, cancellationToken) is { } schedule ? TypedResults.Ok(ScheduleResponse.From(schedule)) : NotFound(id);

    /// <summary>Every field as on create; the optional ones left out take the job type's defaults again.</summary>
    public static Task<Results<Ok<ScheduleResponse>, ValidationProblem, ProblemHttpResult>> ReplaceSchedule(
        string id, [FromBody] ScheduleRequest? request, [AsParameters] ScheduleServices services, CancellationToken cancellationToken) =>
        EditAsync(id, request, merge: false, services, cancellationToken);

    /// <summary>Only the fields given change.</summary>
    public static Task<Results<Ok<ScheduleResponse>, ValidationProblem, ProblemHttpResult>> UpdateSchedule(
        string id, [FromBody] ScheduleRequest? request, [AsParameters] ScheduleServices services, CancellationToken cancellationToken) =>
        EditAsync(id, request, merge: true, services, cancellationToken);

    public static Task<Results<Ok<ScheduleResponse>, ProblemHttpResult>> PauseSchedule(
        string id, [AsParameters] ScheduleServices services, CancellationToken cancellationToken) =>
        SetPausedAsync(id, true, services, cancellationToken);

    public static Task<Results<Ok<ScheduleResponse>, ProblemHttpResult>> ResumeSchedule(
        string id, [AsParameters] ScheduleServices services, CancellationToken cancellationToken) =>
        SetPausedAsync(id, false, services, cancellationToken);

    /// <summary>
    /// The job goes through the submit path as the caller's, so the bulk limit and the workspace's slots apply to it
    /// as to any submit; it carries the schedule's id but is not a tick (the schedule's next tick is unchanged).
    /// </summary>
    public static async Task<Results<Accepted<SubmitJobResponse>, ProblemHttpResult>> RunSchedule(
        string id, [AsParameters] ScheduleServices services, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, services, cancellationToken) is not { } schedule)
        {
            return NotFound(id);
        }

        var d = schedule.Definition;
        if (await services.Catalog.FindAsync(d.Type, cancellationToken) is not { } type)
        {
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "unknown_job_type", "Job type not available",
                $"The schedule's job type '{d.Type}' is not run by any worker now; nothing was submitted.");
        }

        var job = new JobInsertParams(d.Type, type.Queue, d.Priority, d.Payload, null, d.MaxAttempts, d.TimeoutSeconds, null) { ScheduleId = schedule.Id };
        var outcome = await services.Submitter.SubmitAsync(services.Caller, [job], cancellationToken);
        if (outcome.Refused is { } refused)
        {
            return LimitProblems.BulkRateLimited(services.HttpContext, refused);
        }

        var created = outcome.Results![0].Job;
        return TypedResults.Accepted($"/api/jobs/{created.Id}", new SubmitJobResponse(created.Id, created.Status, JobResponse.LinksFor(created.Id)));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteSchedule(
        string id, [AsParameters] ScheduleServices services, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, services, cancellationToken) is not { } schedule)
        {
            return NotFound(id);
        }

        var caller = services.Caller;
        if (schedule.UserId != caller.UserId && !caller.IsAdmin)
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, "forbidden", "Not allowed",
                "Only the schedule's creator or an admin of the workspace may delete it; pause it instead.");
        }

        return await services.Store.ScheduleDeleteAsync(caller.WorkspaceId, schedule.Id, cancellationToken) ? TypedResults.NoContent() : NotFound(id);
    }

    private static async Task<Results<Ok<ScheduleResponse>, ValidationProblem, ProblemHttpResult>> EditAsync(
        string id, ScheduleRequest? request, bool merge, ScheduleServices services, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, services, cancellationToken) is not { } current)
        {
            return NotFound(id);
        }

        var errors = new Dictionary<string, string[]>();
        var definition = await services.Validator.ValidateAsync(
            request, merge ? current.Definition : null, await services.LimitsAsync(cancellationToken), errors, cancellationToken);
        if (definition is null)
        {
            return ApiProblems.Validation(errors);
        }

        var workspaceId = services.Caller.WorkspaceId;
        var result = await services.Store.ScheduleUpdateAsync(workspaceId, current.Id, definition, services.Caller.UserId, cancellationToken);
        if (result.NameTaken)
        {
            return NameTaken(definition.Name);
        }

        if (result.Schedule is not { } schedule)
        {
            return NotFound(id);
        }

        if (request!.Paused is { } paused && paused != schedule.Paused)
        {
            schedule = await services.Store.ScheduleSetPausedAsync(workspaceId, schedule.Id, paused, services.Caller.UserId, cancellationToken) ?? schedule;
        }

        return TypedResults.Ok(ScheduleResponse.From(schedule));
    }

    private static async Task<Results<Ok<ScheduleResponse>, ProblemHttpResult>> SetPausedAsync(
        string id, bool paused, ScheduleServices services, CancellationToken cancellationToken)
    {
        var schedule = Guid.TryParse(id, out var scheduleId)
            ? await services.Store.ScheduleSetPausedAsync(services.Caller.WorkspaceId, scheduleId, paused, services.Caller.UserId, cancellationToken)
            : null;
        return schedule is null ? NotFound(id) : TypedResults.Ok(ScheduleResponse.From(schedule));
    }

    private static async Task<Schedule?> FindAsync(string id, ScheduleServices services, CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var scheduleId) ? await services.Store.ScheduleGetAsync(services.Caller.WorkspaceId, scheduleId, cancellationToken) : null;

    private static ProblemHttpResult NotFound(string id) =>
        ApiProblems.Problem(StatusCodes.Status404NotFound, "schedule_not_found", "Schedule not found",
            $"There is no schedule '{(id.Length <= 64 ? id : id[..64] + "…")}' in your workspace.");

    private static ProblemHttpResult NameTaken(string name) =>
        ApiProblems.Problem(StatusCodes.Status409Conflict, "schedule_name_taken", "Schedule name taken",
            $"Your workspace already has a schedule named '{name}'; choose another name.",
            new Dictionary<string, object?> { ["field"] = "name" });
}
