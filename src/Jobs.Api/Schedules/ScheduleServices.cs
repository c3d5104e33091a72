using Jobs.Api.Auth;
using Jobs.Api.Jobs;
using Jobs.Api.Limits;
using Jobs.Core.Engine.Catalog;
using Jobs.Core.Engine.Schedules;
using Jobs.Core.Identity;

namespace Jobs.Api.Schedules;

/// <summary>A workspace's cap on a bulk payload's items, and on bulk jobs per hour per user.</summary>
public sealed record ScheduleLimits(int MaxBatchItems, int BulkJobsPerHour);

/// <summary>What the schedules endpoints depend on, gathered in one <c>[AsParameters]</c> record.</summary>
public sealed record ScheduleServices(
    HttpContext HttpContext,
    IScheduleStore Store,
    ScheduleRequestValidator Validator,
    WorkspaceLimitsCache Limits,
    JobSubmitter Submitter,
    JobTypeCatalog Catalog)
{
    public Caller Caller => HttpContext.User.ToCaller();

    /// <summary>The caller's workspace's limits that a schedule's job is held to, as a submit is.</summary>
    public async Task<ScheduleLimits> LimitsAsync(CancellationToken cancellationToken) =>
        (await Limits.GetAsync(Caller.WorkspaceId, cancellationToken)) is { } workspace
            ? new ScheduleLimits(workspace.MaxBatchItems, workspace.BulkJobsPerHour)
            : new ScheduleLimits(JobsApi.DefaultMaxBatchItems, BulkSubmissionLimiter.DefaultLimit);
}
