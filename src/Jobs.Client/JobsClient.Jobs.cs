using System.Runtime.CompilerServices;
using System.Text.Json;
using Jobs.Contracts.Jobs;

namespace Jobs.Client;

/// <summary>Jobs: submit, read, list, cancel, retry, their timelines and dependencies, and the job types.</summary>
public sealed partial class JobsClient
{
    /// <summary>A batch item, for <see cref="SubmitBatchAsync(IEnumerable{SubmitJobRequest}, CancellationToken)"/>: the payload serialized as the API reads it.</summary>
    public static SubmitJobRequest Job<TPayload>(string type, TPayload payload, SubmitOptions? options = null) =>
        new(type, JsonSerializer.SerializeToElement(payload, Json), options?.Priority, options?.RunAt, options?.MaxAttempts,
            options?.TimeoutSeconds, options?.IdempotencyKey);

    /// <summary>
    /// Submits one job. A replay of <see cref="SubmitOptions.IdempotencyKey"/> answers the earlier job, with
    /// <see cref="SubmitJobResponse.Replayed"/> true.
    /// </summary>
    /// <exception cref="JobsValidationException">The type is unknown or the payload does not match its schema.</exception>
    /// <exception cref="JobsConflictException">The idempotency key was used for another request.</exception>
    /// <exception cref="JobsRateLimitedException">The workspace's request or bulk limit was reached.</exception>
    public Task<SubmitJobResponse> SubmitAsync<TPayload>(string type, TPayload payload, SubmitOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = Job(type, payload, options) with { IdempotencyKey = null };
        return SendAsync<SubmitJobResponse>(HttpMethod.Post, "api/jobs", request, options?.IdempotencyKey, cancellationToken)!;
    }

    /// <summary>
    /// Submits a request built beforehand (a caller that submits the same job many times builds it once); its
    /// <see cref="SubmitJobRequest.IdempotencyKey"/>, dependencies and other members are sent as they are, and the
    /// members left null are not sent, so the job type's defaults apply.
    /// </summary>
    /// <exception cref="JobsValidationException">The type is unknown or the payload does not match its schema.</exception>
    public Task<SubmitJobResponse> SubmitAsync(SubmitJobRequest job, CancellationToken cancellationToken = default) =>
        SendAsync<SubmitJobResponse>(HttpMethod.Post, "api/jobs", job, null, cancellationToken)!;

    /// <summary>Submits jobs together, all or none; the answer lists them in the order sent. Build items with <see cref="Job"/>.</summary>
    public Task<SubmitBatchResponse> SubmitBatchAsync(IEnumerable<SubmitJobRequest> jobs, CancellationToken cancellationToken = default) =>
        SubmitBatchAsync(new SubmitBatchRequest(jobs.ToList()), cancellationToken);

    /// <summary>Submits a batch built beforehand, all or none.</summary>
    public Task<SubmitBatchResponse> SubmitBatchAsync(SubmitBatchRequest batch, CancellationToken cancellationToken = default) =>
        SendAsync<SubmitBatchResponse>(HttpMethod.Post, "api/jobs/batch", batch, null, cancellationToken)!;

    /// <summary>The job, or null when the workspace has no such job.</summary>
    public Task<JobResponse?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        OrNullAsync(ReadAsync<JobResponse>($"api/jobs/{id}", cancellationToken));

    /// <summary>One page of jobs, newest first; pass its <see cref="JobListResponse.NextCursor"/> for the next.</summary>
    public Task<JobListResponse> ListAsync(string? status = null, string? type = null, int? limit = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        ListAsync(new JobListQuery(status, type), limit, cursor, cancellationToken);

    /// <summary>One page of the jobs <paramref name="query"/> selects, newest first.</summary>
    public Task<JobListResponse> ListAsync(JobListQuery query, int? limit = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        ReadAsync<JobListResponse>(WithQuery("api/jobs",
            ("status", query.Status), ("type", query.Type), ("scheduleId", query.ScheduleId), ("limit", limit), ("cursor", cursor)), cancellationToken);

    /// <summary>Every job that matches, newest first, reading pages of <paramref name="pageSize"/> as it goes.</summary>
    public IAsyncEnumerable<JobResponse> ListAllAsync(string? status = null, string? type = null, int pageSize = 100, CancellationToken cancellationToken = default) =>
        ListAllAsync(new JobListQuery(status, type), pageSize, cancellationToken);

    /// <summary>Every job <paramref name="query"/> selects, newest first, reading pages of <paramref name="pageSize"/> as it goes.</summary>
    public async IAsyncEnumerable<JobResponse> ListAllAsync(JobListQuery query, int pageSize = 100, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? cursor = null;
        do
        {
            var page = await ListAsync(query, pageSize, cursor, cancellationToken);
            foreach (var job in page.Items)
            {
                yield return job;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    /// <summary>Cancels a pending job, or asks a processing one to stop; answers the job as it is now.</summary>
    /// <exception cref="JobsNotFoundException">No such job in the workspace.</exception>
    /// <exception cref="JobsConflictException">The job is finished (<c>invalid_transition</c>).</exception>
    public Task<JobResponse> CancelAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<JobResponse>(HttpMethod.Post, $"api/jobs/{id}/cancel", null, null, cancellationToken)!;

    /// <summary>Runs a failed or cancelled job again with a fresh attempt budget.</summary>
    /// <exception cref="JobsNotFoundException">No such job in the workspace.</exception>
    /// <exception cref="JobsConflictException">The job is not failed or cancelled (<c>invalid_transition</c>).</exception>
    public Task<JobResponse> RetryAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<JobResponse>(HttpMethod.Post, $"api/jobs/{id}/retry", null, null, cancellationToken)!;

    /// <summary>The job's transitions and stage changes, oldest first.</summary>
    /// <exception cref="JobsNotFoundException">No such job in the workspace.</exception>
    public Task<IReadOnlyList<JobEventResponse>> TimelineAsync(Guid id, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<JobEventResponse>>($"api/jobs/{id}/timeline", cancellationToken);

    /// <summary>The jobs this job waits for, and how many of them have not finished (docs/api.md, "Dependencies").</summary>
    /// <exception cref="JobsNotFoundException">No such job in the workspace.</exception>
    public Task<JobDependenciesResponse> GetDependenciesAsync(Guid id, CancellationToken cancellationToken = default) =>
        ReadAsync<JobDependenciesResponse>($"api/jobs/{id}/dependencies", cancellationToken);

    /// <summary>One page of the jobs that wait for this job, oldest first.</summary>
    /// <exception cref="JobsNotFoundException">No such job in the workspace.</exception>
    public Task<JobDependentsResponse> ListDependentsAsync(Guid id, int? limit = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        ReadAsync<JobDependentsResponse>(WithQuery($"api/jobs/{id}/dependents", ("limit", limit), ("cursor", cursor)), cancellationToken);

    /// <summary>The job types the workers run, with each payload's JSON schema and how the web shows it.</summary>
    public Task<IReadOnlyList<JobTypeResponse>> ListJobTypesAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<JobTypeResponse>>("api/job-types", cancellationToken);

    /// <summary>The answer, or null for a 404: a read of a thing the workspace does not have (docs/design.md, "Tenancy").</summary>
    private static async Task<T?> OrNullAsync<T>(Task<T> read)
        where T : class
    {
        try
        {
            return await read;
        }
        catch (JobsNotFoundException)
        {
            return null;
        }
    }
}
