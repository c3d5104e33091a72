using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
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

    public Task<JobListPage> ListJobsAsync(string? status, string? type, int limit, string? cursor, CancellationToken cancellationToken) =>
        ListJobsAsync(new JobListFilter(status, type, null), limit, cursor, cancellationToken);

    public async Task<JobListPage> ListJobsAsync(JobListFilter filter, int limit, string? cursor, CancellationToken cancellationToken)
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

        return await SendAsync<JobListPage>(HttpMethod.Get, $"/api/jobs?{string.Join('&', query)}", null, cancellationToken);
    }

    /// <returns>The job, or null when the workspace has no such job (another workspace's job included).</returns>
    public async Task<JobView?> GetJobAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync<JobView>(HttpMethod.Get, $"/api/jobs/{id}", null, cancellationToken);
        }
        catch (ApiProblemException ex) when (ex.Problem.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    public Task<IReadOnlyList<TimelineEntry>> GetTimelineAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<TimelineEntry>>(HttpMethod.Get, $"/api/jobs/{id}/timeline", null, cancellationToken);

    /// <exception cref="ApiProblemException">409 when the job can no longer be cancelled.</exception>
    public Task<JobView> CancelJobAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<JobView>(HttpMethod.Post, $"/api/jobs/{id}/cancel", null, cancellationToken);

    /// <exception cref="ApiProblemException">409 when the job cannot be retried.</exception>
    public Task<JobView> RetryJobAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<JobView>(HttpMethod.Post, $"/api/jobs/{id}/retry", null, cancellationToken);

    public Task<IReadOnlyList<JobTypeView>> ListJobTypesAsync(CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<JobTypeView>>(HttpMethod.Get, "/api/job-types", null, cancellationToken);

    /// <param name="idempotencyKey">One per form submission: a double click or a resent request submits once.</param>
    /// <param name="dependsOn">Job ids the job waits for, as typed (the API checks them); null or empty for none.</param>
    /// <exception cref="ApiProblemException">400 with the failing fields, 429 when submitting too fast.</exception>
    public async Task<SubmittedJob> SubmitJobAsync(
        string type, JsonObject payload, string idempotencyKey, CancellationToken cancellationToken, IReadOnlyList<string>? dependsOn = null)
    {
        object body = dependsOn is { Count: > 0 } ? new { type, payload, dependsOn } : new { type, payload };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs")
        {
            Content = JsonContent.Create(body, options: JsonSerializerOptions.Web),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await SendAsync<SubmittedJob>(request, cancellationToken);
    }

    public Task<StatsView> GetStatsAsync(CancellationToken cancellationToken) =>
        SendAsync<StatsView>(HttpMethod.Get, "/api/stats", null, cancellationToken);

    public async Task<CampaignListPage> ListCampaignsAsync(int limit, string? cursor, CancellationToken cancellationToken)
    {
        var path = $"/api/campaigns?limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
        return await SendAsync<CampaignListPage>(HttpMethod.Get, path, null, cancellationToken);
    }

    /// <returns>The campaign with its leads, or null when the workspace has no such campaign.</returns>
    public async Task<CampaignView?> GetCampaignAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync<CampaignView>(HttpMethod.Get, $"/api/campaigns/{id}", null, cancellationToken);
        }
        catch (ApiProblemException ex) when (ex.Problem.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    public async Task<ContactListPage> ListContactsAsync(ContactFilters filters, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var query = FilterQuery(filters, limit);
        if (cursor is not null)
        {
            query.Add($"cursor={Uri.EscapeDataString(cursor)}");
        }

        return await SendAsync<ContactListPage>(HttpMethod.Get, $"/api/contacts?{string.Join('&', query)}", null, cancellationToken);
    }

    /// <summary>How many contacts match the filters, and the ids of the newest <paramref name="limit"/> of them (0 to 1,000).</summary>
    public Task<ContactIds> ListContactIdsAsync(ContactFilters filters, int limit, CancellationToken cancellationToken) =>
        SendAsync<ContactIds>(HttpMethod.Get, $"/api/contacts/ids?{string.Join('&', FilterQuery(filters, limit))}", null, cancellationToken);

    public Task<SequenceListPage> ListSequencesAsync(CancellationToken cancellationToken) =>
        SendAsync<SequenceListPage>(HttpMethod.Get, "/api/sequences", null, cancellationToken);

    /// <summary>
    /// Streams a file to <c>POST /api/uploads</c> as the one part of a multipart body, so that the API stores the
    /// content type the browser gave it (a CSV for contacts.import, an image for journey.from-diagram).
    /// </summary>
    /// <exception cref="ApiProblemException">413 when the file is too large, 429 when uploading too fast.</exception>
    public Task<UploadView> UploadAsync(Stream content, string fileName, string? contentType, CancellationToken cancellationToken)
    {
        var file = new StreamContent(content);
        file.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var type)
            ? type
            : new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        var body = new MultipartFormDataContent { { file, "file", fileName } };
        return SendAsync<UploadView>(HttpMethod.Post, "/api/uploads", body, cancellationToken);
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
