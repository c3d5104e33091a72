using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Jobs.Contracts.Jobs;

namespace Jobs.Client;

/// <summary>
/// The Jobs API as typed calls (docs/api.md, ".NET client"): submit, read, list, cancel, retry and a job's timeline,
/// with problem answers thrown as <see cref="JobsApiException"/>s; <see cref="WatchAsync"/> follows a job live.
/// Register it with <c>AddJobsClient</c>; one instance is safe to share.
/// </summary>
public sealed partial class JobsClient
{
    /// <summary>The header the API reads a key from (docs/api.md, "Authentication").</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>The header the API reads an idempotency key from.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    private readonly HttpClient http;
    private readonly string apiKey;
    private readonly Func<Uri, CancellationToken, ValueTask<Uri>> resolve;

    /// <summary>A client on <paramref name="http"/>, whose base address is the API's; the key goes on every request.</summary>
    public JobsClient(HttpClient http, string apiKey)
        : this(http, apiKey, static (address, _) => ValueTask.FromResult(address))
    {
    }

    /// <param name="http">Its base address is the API's.</param>
    /// <param name="apiKey">Sent on every request and on the hub's connection.</param>
    /// <param name="resolve">
    /// Turns the base address into one the hub's own connection can dial: the HTTP calls resolve a service name
    /// (<c>http://api</c>) in their handler, the hub's WebSocket does not.
    /// </param>
    internal JobsClient(HttpClient http, string apiKey, Func<Uri, CancellationToken, ValueTask<Uri>> resolve)
    {
        ArgumentNullException.ThrowIfNull(http.BaseAddress, "http.BaseAddress");
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        this.http = http;
        this.apiKey = apiKey;
        this.resolve = resolve;
    }

    /// <summary>A batch item, for <see cref="SubmitBatchAsync"/>: the payload serialized as the API reads it.</summary>
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

    /// <summary>Submits jobs together, all or none; the answer lists them in the order sent. Build items with <see cref="Job"/>.</summary>
    public Task<SubmitBatchResponse> SubmitBatchAsync(IEnumerable<SubmitJobRequest> jobs, CancellationToken cancellationToken = default) =>
        SendAsync<SubmitBatchResponse>(HttpMethod.Post, "api/jobs/batch", new SubmitBatchRequest(jobs.ToList()), null, cancellationToken)!;

    /// <summary>The job, or null when the workspace has no such job.</summary>
    public async Task<JobResponse?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        try
        {
            return await SendAsync<JobResponse>(HttpMethod.Get, $"api/jobs/{id}", null, null, cancellationToken);
        }
        catch (JobsNotFoundException)
        {
            return null;
        }
    }

    /// <summary>One page of jobs, newest first; pass its <see cref="JobListResponse.NextCursor"/> for the next.</summary>
    public Task<JobListResponse> ListAsync(string? status = null, string? type = null, int? limit = null, string? cursor = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        Add("status", status);
        Add("type", type);
        Add("limit", limit?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("cursor", cursor);
        var path = query.Count == 0 ? "api/jobs" : $"api/jobs?{string.Join('&', query)}";
        return SendAsync<JobListResponse>(HttpMethod.Get, path, null, null, cancellationToken)!;

        void Add(string name, string? value)
        {
            if (value is not null)
            {
                query.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
    }

    /// <summary>Every job that matches, newest first, reading pages of <paramref name="pageSize"/> as it goes.</summary>
    public async IAsyncEnumerable<JobResponse> ListAllAsync(string? status = null, string? type = null, int pageSize = 100,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? cursor = null;
        do
        {
            var page = await ListAsync(status, type, pageSize, cursor, cancellationToken);
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
        SendAsync<IReadOnlyList<JobEventResponse>>(HttpMethod.Get, $"api/jobs/{id}/timeline", null, null, cancellationToken)!;

    private async Task<T?> SendAsync<T>(HttpMethod method, string path, object? body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        request.Headers.TryAddWithoutValidation(ApiKeyHeader, apiKey);
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, idempotencyKey);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await JobsApiException.FromResponseAsync(response, cancellationToken);
        }

        return response.StatusCode == HttpStatusCode.NoContent
            ? default
            : await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
    }
}
