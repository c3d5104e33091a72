using Jobs.Api.Paging;
using Jobs.Api.Problems;
using Jobs.Contracts.Jobs;
using Jobs.Core.Engine.Dependencies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jobs.Api.Jobs;

/// <summary>The reads of a job's dependencies (docs/design.md, "Dependencies"): what it waits for, what waits for it.</summary>
public static partial class JobsApi
{
    public static async Task<Results<Ok<JobDependenciesResponse>, ProblemHttpResult>> GetDependencies(
        string id, [AsParameters] JobServices services, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var jobId)
            || await services.DependencyStore.JobDependencyGetAsync(services.Caller.WorkspaceId, jobId, cancellationToken) is not { } dependencies)
        {
            return NotFound(id);
        }

        return TypedResults.Ok(new JobDependenciesResponse(
            [.. dependencies.DependsOn.Select(Link)], dependencies.WaitingFor, dependencies.OnDependencyFailure));
    }

    public static async Task<Results<Ok<JobDependentsResponse>, ValidationProblem, ProblemHttpResult>> ListDependents(
        string id, string? limit, string? cursor, [AsParameters] JobServices services, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var jobId))
        {
            return NotFound(id);
        }

        var errors = new Dictionary<string, string[]>();
        var size = PageQuery.ParseLimit(limit, errors);
        var after = PageQuery.ParseIdCursor(cursor, errors);
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        if (await services.DependencyStore.JobDependentListAsync(services.Caller.WorkspaceId, jobId, size, after, cancellationToken) is not { } page)
        {
            return NotFound(id);
        }

        return TypedResults.Ok(new JobDependentsResponse([.. page.Items.Select(Link)], page.NextCursor?.ToString()));
    }

    /// <summary>The job with its dependencies when it has any (one more index read).</summary>
    private static async Task<JobResponse> WithDependenciesAsync(JobResponse job, JobServices services, CancellationToken cancellationToken) =>
        await services.DependencyStore.JobDependencyGetAsync(services.Caller.WorkspaceId, job.Id, cancellationToken) is { DependsOn.Count: > 0 } dependencies
            ? job with { DependsOn = [.. dependencies.DependsOn.Select(d => d.Id)], WaitingFor = dependencies.WaitingFor }
            : job;

    private static JobLinkResponse Link(JobDependencyLink link) => new(link.Id, link.Type, link.Status);
}
