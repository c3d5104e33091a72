using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Contracts.Campaigns;
using Jobs.Contracts.Contacts;
using Jobs.Contracts.Files;
using Jobs.Contracts.Jobs;
using Jobs.Contracts.Stats;
using Jobs.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Jobs.Web.Api;

/// <summary>
/// The Jobs API as the signed-in user: every request carries the session key from the user's cookie as
/// <c>X-Api-Key</c>. Typed clients are resolved in the circuit's scope, so the user here is the circuit's user (a
/// <see cref="DelegatingHandler"/> would live in the client factory's own scope and could not see it).
/// </summary>
public sealed partial class JobsApiClient(HttpClient http, AuthenticationStateProvider authentication, NavigationManager navigation)
{
    public const string ApiKeyHeader = "X-Api-Key";

    public Task<JobListResponse> ListJobsAsync(string? status, string? type, int limit, string? cursor, CancellationToken cancellationToken) =>
        ListJobsAsync(new JobListFilter(status, type, null), limit, cursor, cancellationToken);

    public async Task<JobListResponse> ListJobsAsync(JobListFilter filter, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var (status, type, scheduleId) = filter;
        var query = new List<string> { $"limit={limit}" };
        if (scheduleId is { } schedule)
        {
            query.Add($"scheduleId={schedule}");
        }

        if (status is not null)
        {
            query.Add($"status={Uri.EscapeDataString(status)}");
        }

        if (type is not null)
        {
            query.Add($"type={Uri.EscapeDataString(type)}");
        }

        if (cursor is not null)
        {
            query.Add($"cursor={Uri.EscapeDataString(cursor)}");
        }

        return await SendAsync<JobListResponse>(HttpMethod.Get, $"/api/jobs?{string.Join('&', query)}", null, cancellationToken);
    }

    /// <returns>The job, or null when the workspace has no such job (another workspace's job included).</returns>
    public async Task<JobResponse?> GetJobAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync<JobResponse>(HttpMethod.Get, $"/api/jobs/{id}", null, cancellationToken);
        }
        catch (ApiProblemException ex) when (ex.Problem.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    public Task<IReadOnlyList<JobEventResponse>> GetTimelineAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<JobEventResponse>>(HttpMethod.Get, $"/api/jobs/{id}/timeline", null, cancellationToken);

    /// <exception cref="ApiProblemException">409 when the job can no longer be cancelled.</exception>
    public Task<JobResponse> CancelJobAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<JobResponse>(HttpMethod.Post, $"/api/jobs/{id}/cancel", null, cancellationToken);

    /// <exception cref="ApiProblemException">409 when the job cannot be retried.</exception>
    public Task<JobResponse> RetryJobAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<JobResponse>(HttpMethod.Post, $"/api/jobs/{id}/retry", null, cancellationToken);

    public Task<IReadOnlyList<JobTypeResponse>> ListJobTypesAsync(CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<JobTypeResponse>>(HttpMethod.Get, "/api/job-types", null, cancellationToken);

    /// <summary>
    /// Submits one job; the options <paramref name="job"/> leaves null are not sent (the job type's defaults apply), nor
    /// is an empty dependency list.
    /// </summary>
    /// <param name="idempotencyKey">One per form submission: a double click or a resent request submits once.</param>
    /// <exception cref="ApiProblemException">400 with the failing fields, 429 when submitting too fast.</exception>
    public async Task<SubmitJobResponse> SubmitJobAsync(SubmitJobRequest job, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs")
        {
            Content = JsonContent.Create(job, options: WithoutNulls),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await SendAsync<SubmitJobResponse>(request, cancellationToken);
    }

    public Task<StatsResponse> GetStatsAsync(CancellationToken cancellationToken) =>
        SendAsync<StatsResponse>(HttpMethod.Get, "/api/stats", null, cancellationToken);

    public async Task<CampaignListResponse> ListCampaignsAsync(int limit, string? cursor, CancellationToken cancellationToken)
    {
        var path = $"/api/campaigns?limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
        return await SendAsync<CampaignListResponse>(HttpMethod.Get, path, null, cancellationToken);
    }

    /// <returns>The campaign with its leads, or null when the workspace has no such campaign.</returns>
    public async Task<CampaignResponse?> GetCampaignAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync<CampaignResponse>(HttpMethod.Get, $"/api/campaigns/{id}", null, cancellationToken);
        }
        catch (ApiProblemException ex) when (ex.Problem.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    public async Task<ContactListResponse> ListContactsAsync(ContactFilters filters, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var query = FilterQuery(filters, limit);
        if (cursor is not null)
        {
            query.Add($"cursor={Uri.EscapeDataString(cursor)}");
        }

        return await SendAsync<ContactListResponse>(HttpMethod.Get, $"/api/contacts?{string.Join('&', query)}", null, cancellationToken);
    }

    /// <summary>How many contacts match the filters, and the ids of the newest <paramref name="limit"/> of them (0 to 1,000).</summary>
    public Task<ContactIdsResponse> ListContactIdsAsync(ContactFilters filters, int limit, CancellationToken cancellationToken) =>
        SendAsync<ContactIdsResponse>(HttpMethod.Get, $"/api/contacts/ids?{string.Join('&', FilterQuery(filters, limit))}", null, cancellationToken);

    public Task<SequenceListResponse> ListSequencesAsync(CancellationToken cancellationToken) =>
        SendAsync<SequenceListResponse>(HttpMethod.Get, "/api/sequences", null, cancellationToken);

    /// <summary>
    /// Streams a file to <c>POST /api/uploads</c> as the one part of a multipart body, so that the API stores the
    /// content type the browser gave it (a CSV for contacts.import, an image for journey.from-diagram).
    /// </summary>
    /// <exception cref="ApiProblemException">413 when the file is too large, 429 when uploading too fast.</exception>
    public Task<UploadResponse> UploadAsync(Stream content, string fileName, string? contentType, CancellationToken cancellationToken)
    {
        var file = new StreamContent(content);
        file.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var type)
            ? type
            : new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        var body = new MultipartFormDataContent { { file, "file", fileName } };
        return SendAsync<UploadResponse>(HttpMethod.Post, "/api/uploads", body, cancellationToken);
    }

    private static List<string> FilterQuery(ContactFilters filters, int limit)
    {
        var query = new List<string> { $"limit={limit}" };
        if (filters.Tag is { Length: > 0 } tag)
        {
            query.Add($"tag={Uri.EscapeDataString(tag)}");
        }

        if (filters.Search is { Length: > 0 } search)
        {
            query.Add($"search={Uri.EscapeDataString(search)}");
        }

        if (filters.OptedOut is { } optedOut)
        {
            query.Add($"optedOut={(optedOut ? "true" : "false")}");
        }

        if (filters.DoNotContact is { } doNotContact)
        {
            query.Add($"doNotContact={(doNotContact ? "true" : "false")}");
        }

        return query;
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        return await SendAsync<T>(request, cancellationToken);
    }

    /// <summary>Sends with the signed-in user's key; an expired session or an API problem is thrown.</summary>
    private async Task<HttpResponseMessage> SendCheckedAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        if (SessionClaims.ApiKeyOf(user) is not { } apiKey)
        {
            throw SessionExpired();
        }

        request.Headers.Add(ApiKeyHeader, apiKey);
        var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            throw SessionExpired();
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw new ApiProblemException(await ApiProblem.ReadAsync(response, cancellationToken));
            }
        }

        return response;
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await SendCheckedAsync(request, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web, cancellationToken)
            ?? throw new ApiProblemException(new ApiProblem((int)response.StatusCode, "empty_body", "The API answered with an empty body", null, new Dictionary<string, string[]>()));
    }

    // A full load of the sign-in page, which clears the stale cookie and comes back here after signing in.
    private SessionExpiredException SessionExpired()
    {
        var returnUrl = "/" + navigation.ToBaseRelativePath(navigation.Uri);
        navigation.NavigateTo(AccountEndpoints.SignInUrl(returnUrl, expired: true), forceLoad: true);
        return new SessionExpiredException();
    }
}
