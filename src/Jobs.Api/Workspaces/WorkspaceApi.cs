using Jobs.Api.Auth;
using Jobs.Api.Limits;
using Jobs.Api.Problems;
using Jobs.Contracts.Jobs;
using Jobs.Contracts.Workspaces;
using Jobs.Core.Files;
using Jobs.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Workspaces;

/// <summary>
/// The caller's workspace and its limits (docs/design.md, "Admission, limits and fairness"). Anyone in the workspace
/// reads them; its admins change them within the operator's ceilings, and a change applies to the next claim,
/// submission or job, since those read the limits from the row each time.
/// </summary>
public static class WorkspaceApi
{
    public static IEndpointRouteBuilder MapWorkspaceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/workspace")
            .RequireAuthorization()
            .WithTags("Workspace");
        api.MapGet("", GetWorkspace)
            .WithName("GetWorkspace")
            .WithSummary("The caller's workspace: its limits, jobs processing and pending now, and the caller's role");
        api.MapGet("/bulk-jobs", GetBulkJobs)
            .WithName("GetBulkJobs")
            .WithSummary("The caller's bulk jobs in the last hour: the limit per user, how many are used and left, and when the next one frees");
        api.MapPut("/limits", SetLimits)
            .RequireAuthorization(CallerClaims.AdminPolicy)
            .WithName("SetWorkspaceLimits")
            .WithSummary("Replace the workspace's six limits, all required (admin)");
        return app;
    }

    public static async Task<Results<Ok<WorkspaceResponse>, ProblemHttpResult>> GetWorkspace(
        HttpContext httpContext, IWorkspaceStore workspaces, IFileStore files, IOptions<LimitCeilingsOptions> ceilings, CancellationToken cancellationToken) =>
        await ReadAsync(httpContext.User.ToCaller(), workspaces, files, ceilings.Value.ToCeilings(), cancellationToken) is { } workspace
            ? TypedResults.Ok(workspace)
            : WorkspaceNotFound();

    /// <summary>Counts nothing: a client shows it where bulk jobs start, and the submit is still what decides.</summary>
    public static async Task<Ok<BulkJobAllowance>> GetBulkJobs(
        HttpContext httpContext, BulkSubmissionLimiter limiter, CancellationToken cancellationToken) =>
        TypedResults.Ok(await limiter.AllowanceAsync(httpContext.User.ToCaller(), cancellationToken));

    public static async Task<Results<Ok<WorkspaceResponse>, ValidationProblem, ProblemHttpResult>> SetLimits(
        SetLimitsRequest? request,
        HttpContext httpContext,
        IWorkspaceStore workspaces,
        IFileStore files,
        IOptions<LimitCeilingsOptions> options,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        UnknownFields.Check(request?.Unknown, "", errors);
        var ceilings = options.Value.ToCeilings();
        var limits = new WorkspaceLimits(
            Check(errors, "maxConcurrentJobs", request?.MaxConcurrentJobs, WorkspaceLimits.MaxConcurrentJobsRange, ceilings.MaxConcurrentJobs),
            Check(errors, "maxBatchItems", request?.MaxBatchItems, WorkspaceLimits.MaxBatchItemsRange, ceilings.MaxBatchItems),
            Check(errors, "bulkJobsPerHour", request?.BulkJobsPerHour, WorkspaceLimits.BulkJobsPerHourRange, ceilings.BulkJobsPerHour),
            Check(errors, "requestsPerMinute", request?.RequestsPerMinute, WorkspaceLimits.RequestsPerMinuteRange, ceilings.RequestsPerMinute),
            Check(errors, "subscribeBatchSize", request?.SubscribeBatchSize, WorkspaceLimits.SubscribeBatchSizeRange, ceiling: null),
            Check(errors, "subscribeBatchPauseMs", request?.SubscribeBatchPauseMs, WorkspaceLimits.SubscribeBatchPauseMsRange, ceiling: null));
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var caller = httpContext.User.ToCaller();
        if (!await workspaces.WorkspaceLimitsSetAsync(caller.WorkspaceId, limits, cancellationToken)
            || await ReadAsync(caller, workspaces, files, ceilings, cancellationToken) is not { } workspace)
        {
            return WorkspaceNotFound();
        }

        return TypedResults.Ok(workspace);
    }

    /// <summary>Within the limit's range and, where the operator set one, at most its ceiling.</summary>
    private static int Check(Dictionary<string, string[]> errors, string field, int? value, (int Min, int Max) range, int? ceiling)
    {
        if (value is not { } given)
        {
            errors[field] = ["is required."];
            return 0;
        }

        var max = Math.Min(range.Max, ceiling ?? range.Max);
        if (given < range.Min || given > max)
        {
            errors[field] = [max < range.Max
                ? $"must be between {range.Min} and {max}: {max} is the most the platform's operator allows."
                : $"must be between {range.Min} and {max}."];
        }

        return given;
    }

    private static async Task<WorkspaceResponse?> ReadAsync(
        Caller caller, IWorkspaceStore workspaces, IFileStore files, WorkspaceLimitCeilings ceilings, CancellationToken cancellationToken)
    {
        if (await workspaces.WorkspaceGetAsync(caller.WorkspaceId, cancellationToken) is not { } workspace
            || await files.StorageUsageGetAsync(caller.WorkspaceId, cancellationToken) is not { } storage)
        {
            return null;
        }

        var usage = await workspaces.WorkspaceUsageGetAsync(caller.WorkspaceId, cancellationToken);
        return new WorkspaceResponse(workspace.Id, workspace.Name, caller.Role, WorkspaceLimits.Of(workspace), ceilings, usage, storage);
    }

    // Only reachable if the workspace was deleted under a live key: say so rather than answer 500.
    private static ProblemHttpResult WorkspaceNotFound() =>
        ApiProblems.Problem(StatusCodes.Status404NotFound, "workspace_not_found", "Workspace not found");
}
