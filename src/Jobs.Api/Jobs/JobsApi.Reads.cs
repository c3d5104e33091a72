using System.Text.Json;
using Jobs.Api.Auth;
using Jobs.Api.Limits;
using Jobs.Api.Problems;
using Jobs.Contracts.Jobs;
using Jobs.Core.Engine.Catalog;
using Jobs.Core.Engine.Storage;
using Jobs.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using StackExchange.Redis;

using Jobs.Api.Paging;

namespace Jobs.Api.Jobs;

/// <summary>The jobs endpoints that only read: the list, one job, its timeline, the job types.</summary>
public static partial class JobsApi
{
    public static async Task<Results<Ok<JobListResponse>, ValidationProblem>> ListJobs(
        string? status,
        string? type,
        string? limit,
        string? cursor,
        string? scheduleId,
        [AsParameters] JobServices services,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !JobStatus.IsKnown(status))
        {
            errors["status"] = [$"must be one of {string.Join(", ", JobStatus.All)}."];
        }

        var size = PageQuery.ParseLimit(limit, errors);

        var after = PageQuery.ParseIdCursor(cursor, errors);
        Guid? schedule = null;
        if (scheduleId is not null)
        {
            if (Guid.TryParse(scheduleId, out var parsed))
            {
                schedule = parsed;
            }
            else
            {
                errors["scheduleId"] = ["must be a schedule id."];
            }
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var page = await services.Store.JobListAsync(
            new JobListParams(services.Caller.WorkspaceId, status, string.IsNullOrEmpty(type) ? null : type, size, after, schedule), cancellationToken);
        var items = await WithWaitingReasonsAsync(page.Items.Select(JobResponse.From).ToList(), services, cancellationToken);
        return TypedResults.Ok(new JobListResponse(items, page.NextCursor?.ToString()));
    }

    public static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> GetJob(string id, [AsParameters] JobServices services, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var jobId) || await services.Store.JobGetAsync(services.Caller.WorkspaceId, jobId, cancellationToken) is not { } job)
        {
            return NotFound(id);
        }

        var response = (await WithWaitingReasonsAsync([JobResponse.From(job)], services, cancellationToken))[0];
        return TypedResults.Ok(await WithDependenciesAsync(response, services, cancellationToken));
    }

    public static async Task<Results<Ok<IReadOnlyList<JobEventResponse>>, ProblemHttpResult>> GetTimeline(string id, [AsParameters] JobServices services, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var jobId) || await services.Store.JobGetAsync(services.Caller.WorkspaceId, jobId, cancellationToken) is null)
        {
            return NotFound(id);
        }

        var events = await services.Store.JobEventListAsync(services.Caller.WorkspaceId, jobId, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<JobEventResponse>>(
            events.Select(e => new JobEventResponse(e.Id, e.Kind, e.Status, e.Stage, e.Attempt, e.Message, e.CreatedAt, e.Actor)).ToList());
    }

    public static async Task<Ok<IReadOnlyList<JobTypeResponse>>> ListJobTypes(JobTypeCatalog catalog, CancellationToken cancellationToken)
    {
        var types = await catalog.ListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<JobTypeResponse>>(types
            .Select(t => new JobTypeResponse(t.Name, t.Description, t.Queue, JsonSerializer.SerializeToElement(t.PayloadSchema), t.MaxAttempts, t.TimeoutSeconds, t.Bulk, t.ItemsField, t.Display))
            .ToList());
    }

    /// <summary>
    /// Says why pending jobs of a paused queue or type wait (docs/design.md, "Pausing"): the workspace's pauses are
    /// read once for the whole page, and not at all when no job on it is pending.
    /// </summary>
    private static async Task<IReadOnlyList<JobResponse>> WithWaitingReasonsAsync(
        IReadOnlyList<JobResponse> jobs, JobServices services, CancellationToken cancellationToken)
    {
        if (!jobs.Any(j => j.Status == JobStatus.Pending))
        {
            return jobs;
        }

        var pauses = await services.Pauses.PauseListAsync(services.Caller.WorkspaceId, cancellationToken);
        return [.. jobs.Select(j => j.Status == JobStatus.Pending ? j with { WaitingReason = pauses.WaitingReason(j.Type, j.Queue) } : j)];
    }
}
