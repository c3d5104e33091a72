using System.Net.Http.Json;
using System.Text.Json;

namespace Jobs.Web.Api;

/// <summary>The web's view of the Jobs API, over HTTP as any client would use it.</summary>
public sealed class JobsApiClient(HttpClient http)
{
    public async Task<JobListItem[]> ListLatestAsync(int limit, CancellationToken cancellationToken)
    {
        var page = await http.GetFromJsonAsync<JobListPage>($"/api/jobs?limit={limit}", JsonSerializerOptions.Web, cancellationToken);
        return page?.Items ?? [];
    }
}

public sealed record JobListPage(JobListItem[] Items, string? NextCursor);

public sealed record JobListItem(
    Guid Id,
    string Type,
    string Status,
    int Progress,
    string? Stage,
    long? ProcessedItems,
    long? TotalItems,
    string? Error,
    int Attempt,
    int MaxAttempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt);
