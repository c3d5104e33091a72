using System.Text.Json;
using Jobs.Api.Auth;
using Jobs.Api.Limits;
using Jobs.Api.Problems;
using Jobs.Contracts.Jobs;
using Jobs.Core.Engine;
using Jobs.Core.Engine.Storage;
using Jobs.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using StackExchange.Redis;

using Jobs.Api.Paging;

namespace Jobs.Api.Jobs;

/// <summary>The jobs endpoints (docs/api.md). Every query is scoped to the caller's workspace.</summary>
public static partial class JobsApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string IdempotentReplayedHeader = "Idempotent-Replayed";

    /// <summary>
    /// The cap on items in one bulk job (and jobs in one batch) when a workspace has no row to say
    /// (docs/design.md, "Admission, limits and fairness").
    /// </summary>
    internal const int DefaultMaxBatchItems = 1000;

    /// <summary>Maps the routes; returns the authenticated <c>/api</c> group so that other features can join it.</summary>
    public static RouteGroupBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api")
            .RequireAuthorization()
            .WithTags("Jobs");

        api.MapPost("/jobs", SubmitJob)
            .WithName("SubmitJob")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AddOpenApiOperationTransformer(SubmitHeaders.Describe)
            .WithSummary("Submit a job; answers 202 with its id once it is stored, 200 for a replay of its Idempotency-Key");
        api.MapPost("/jobs/batch", SubmitBatch)
            .WithName("SubmitBatch")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AddOpenApiOperationTransformer(SubmitHeaders.Describe)
            .WithSummary("Submit up to the workspace's batch limit of jobs in one transaction");
        api.MapGet("/jobs", ListJobs)
            .WithName("ListJobs")
            .WithSummary("Jobs, newest first, with keyset pagination");
        api.MapGet("/jobs/{id}", GetJob)
            .WithName("GetJob")
            .WithSummary("One job");
        api.MapPost("/jobs/{id}/cancel", CancelJob)
            .WithName("CancelJob")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Cancel a pending job, or ask a processing one to stop");
        api.MapPost("/jobs/{id}/retry", RetryJob)
            .WithName("RetryJob")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Run a failed or cancelled job again, with a fresh attempt budget");
        api.MapGet("/jobs/{id}/dependencies", GetDependencies)
            .WithName("GetJobDependencies")
            .WithSummary("The jobs this job waits for, each with its status, and how many have not finished");
        api.MapGet("/jobs/{id}/dependents", ListDependents)
            .WithName("ListJobDependents")
            .WithSummary("The jobs that wait for this job, oldest first, with keyset pagination");
        api.MapGet("/jobs/{id}/timeline", GetTimeline)
            .WithName("GetJobTimeline")
            .WithSummary("The job's transitions and stage changes");
        api.MapGet("/job-types", ListJobTypes)
            .WithName("ListJobTypes")
            .WithSummary("The job types the workers run, with the JSON schema of each payload");
        return api;
    }

    /// <summary>
    /// A replay (same <c>Idempotency-Key</c>, same request, key not expired) answers 200 with the original job and
    /// <c>Idempotent-Replayed: true</c>; the same key with another request answers 422 <c>idempotency_key_reused</c>.
    /// </summary>
    public static async Task<Results<Accepted<SubmitJobResponse>, Ok<SubmitJobResponse>, ValidationProblem, ProblemHttpResult>> SubmitJob(
        [FromBody] SubmitJobRequest? request,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        [AsParameters] JobServices services,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var workspace = await services.Limits.GetAsync(services.Caller.WorkspaceId, cancellationToken);
        var insert = await services.Validator.ValidateAsync(
            request is null ? null : request with { IdempotencyKey = idempotencyKey ?? request.IdempotencyKey }, "",
            workspace?.MaxBatchItems ?? DefaultMaxBatchItems, errors, cancellationToken);
        JobInsertParams?[] inserts = [insert];
        await services.Dependencies.ApplyAsync(services.Caller.WorkspaceId, [request], inserts, batch: false, errors, cancellationToken);
        if (errors.Count > 0 || inserts[0] is not { } dependent)
        {
            return ApiProblems.Validation(errors);
        }

        insert = dependent;

        var outcome = await services.Submitter.SubmitAsync(services.Caller, [insert], cancellationToken);
        if (outcome.Refused is { } refused)
        {
            return LimitProblems.BulkRateLimited(services.HttpContext, refused);
        }

        var result = outcome.Results![0];
        if (!result.SameRequest)
        {
            return KeyReused(insert.IdempotencyKey!, result.Job.Id);
        }

        var job = result.Job;
        var response = new SubmitJobResponse(job.Id, job.Status, JobResponse.LinksFor(job.Id), Replayed: !result.Created);
        if (!result.Created)
        {
            services.HttpContext.Response.Headers[IdempotentReplayedHeader] = "true";
            return TypedResults.Ok(response);
        }

        return TypedResults.Accepted($"/api/jobs/{job.Id}", response);
    }

    /// <summary>Keys work per item as in <see cref="SubmitJob"/>; a batch made only of replays answers 200.</summary>
    public static async Task<Results<Accepted<SubmitBatchResponse>, Ok<SubmitBatchResponse>, ValidationProblem, ProblemHttpResult>> SubmitBatch(
        [FromBody] SubmitBatchRequest? request,
        [AsParameters] JobServices services,
        CancellationToken cancellationToken)
    {
        var workspace = await services.Limits.GetAsync(services.Caller.WorkspaceId, cancellationToken);
        var limit = workspace?.MaxBatchItems ?? DefaultMaxBatchItems;
        var unknown = new Dictionary<string, string[]>();
        if (!UnknownFields.Check(request?.Unknown, "", unknown))
        {
            return ApiProblems.Validation(unknown);
        }

        if (request?.Jobs is not { Count: > 0 } jobs)
        {
            return ApiProblems.Validation("jobs", "must contain at least one job.");
        }

        if (jobs.Count > limit)
        {
            return ApiProblems.Validation("jobs", $"must contain at most {limit} jobs, has {jobs.Count}.");
        }

        var errors = new Dictionary<string, string[]>();
        var validated = new JobInsertParams?[jobs.Count];
        for (var i = 0; i < jobs.Count; i++)
        {
            validated[i] = await services.Validator.ValidateAsync(jobs[i], $"jobs[{i}].", limit, errors, cancellationToken);
        }

        await services.Dependencies.ApplyAsync(services.Caller.WorkspaceId, jobs, validated, batch: true, errors, cancellationToken);
        var inserts = validated.OfType<JobInsertParams>().ToList();

        var keys = inserts.Where(j => j.IdempotencyKey is not null).GroupBy(j => j.IdempotencyKey).Where(g => g.Count() > 1).Select(g => g.Key);
        foreach (var key in keys)
        {
            errors["jobs"] = [.. errors.GetValueOrDefault("jobs") ?? [], $"idempotency key '{key}' appears more than once."];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors, "No job was submitted: every job of a batch must be valid.");
        }

        var outcome = await services.Submitter.SubmitAsync(services.Caller, inserts, cancellationToken);
        if (outcome.Refused is { } refused)
        {
            return LimitProblems.BulkRateLimited(services.HttpContext, refused);
        }

        var results = outcome.Results!;
        var reused = results.Select((r, i) => (r, i)).FirstOrDefault(x => !x.r.SameRequest);
        if (reused.r is { } conflict)
        {
            return KeyReused(inserts[reused.i].IdempotencyKey!, conflict.Job.Id, $"jobs[{reused.i}]");
        }

        var response = new SubmitBatchResponse(
            results.Select(r => new SubmitJobResponse(r.Job.Id, r.Job.Status, JobResponse.LinksFor(r.Job.Id), Replayed: !r.Created)).ToList());
        if (results.All(r => !r.Created))
        {
            services.HttpContext.Response.Headers[IdempotentReplayedHeader] = "true";
            return TypedResults.Ok(response);
        }

        return TypedResults.Accepted("/api/jobs", response);
    }

    public static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> CancelJob(string id, [AsParameters] JobServices services, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var jobId))
        {
            return NotFound(id);
        }

        var result = await services.Store.JobCancelAsync(services.Caller.WorkspaceId, jobId, services.Actor, cancellationToken);
        if (result.Job is not { } job)
        {
            return NotFound(id);
        }

        if (!result.Applied)
        {
            return ApiProblems.InvalidTransition(jobId, job.CancelRequestedAt is not null && job.Status == JobStatus.Processing ? "already being cancelled" : job.Status, "cancel");
        }

        if (job.Status == JobStatus.Processing)
        {
            await services.Bus.PublishCancelAsync(job.Id);
        }

        await services.Bus.PublishAsync(job, job.Status == JobStatus.Cancelled ? "cancelled" : "cancel requested");
        if (job.Status == JobStatus.Cancelled)
        {
            // A hinted job gave its slot back: the workspace's next job may have it now rather than at maintenance's tick.
            await services.Submitter.HintNextAsync(job.WorkspaceId);
        }

        return TypedResults.Ok(JobResponse.From(job));
    }

    public static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> RetryJob(string id, [AsParameters] JobServices services, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var jobId))
        {
            return NotFound(id);
        }

        if (await services.Store.JobGetAsync(services.Caller.WorkspaceId, jobId, cancellationToken) is not { } current)
        {
            return NotFound(id);
        }

        // Answered before the bulk limit is asked: a retry that cannot apply must not be told to wait. The store's
        // conditional update still decides when two requests race.
        if (current.Status is not (JobStatus.Failed or JobStatus.Cancelled))
        {
            return ApiProblems.InvalidTransition(jobId, current.Status, "retry");
        }

        var (result, refused) = await services.Submitter.RetryAsync(services.Caller, services.Actor, current, cancellationToken);
        if (refused is not null)
        {
            return LimitProblems.BulkRateLimited(services.HttpContext, refused);
        }

        if (result?.Job is not { } job)
        {
            return NotFound(id);
        }

        if (!result.Applied)
        {
            return ApiProblems.InvalidTransition(jobId, job.Status, "retry");
        }

        // Within the workspace's bound like a submit, so that retrying many jobs cannot flood the stream either.
        await services.Submitter.HintNextAsync(job.WorkspaceId);
        await services.Bus.PublishAsync(job, "retried");
        return TypedResults.Ok(JobResponse.From(job));
    }

    private static ProblemHttpResult NotFound(string id) => ApiProblems.JobNotFound(id);

    private static ProblemHttpResult KeyReused(string key, Guid jobId, string? item = null) =>
        ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused", "Idempotency key already used",
            $"Key '{key}'{(item is null ? "" : $" of {item}")} was used for job {jobId} with a different request; nothing was submitted.",
            new Dictionary<string, object?> { ["jobId"] = jobId });
}
