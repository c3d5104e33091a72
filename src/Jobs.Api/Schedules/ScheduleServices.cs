using Jobs.Api.Auth;
using Jobs.Api.Jobs;
using Jobs.Api.Limits;
using Jobs.Core.Engine.Catalog;
using Jobs.Core.Engine.Schedules;
using Jobs.Core.Identity;

namespace Jobs.Api.Schedules;

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

    /// <summary>The caller's workspace's cap on a bulk payload's items, as a submit checks it.</summary>
    public async Task<int> MaxBatchItemsAsync(CancellationToken cancellationToken) =>
        (await Limits.GetAsync(Caller.WorkspaceId, cancellationToken))?.MaxBatchItems ?? JobsApi.DefaultMaxBatchItems;
}
