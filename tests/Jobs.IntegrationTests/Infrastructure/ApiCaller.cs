using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Contracts.Jobs;

namespace Jobs.IntegrationTests.Infrastructure;

/// <summary>The calls tests make over and over, on an <see cref="HttpClient"/> signed in as a workspace.</summary>
public static class ApiCaller
{
    public static async Task<Guid> SubmitAsync(this HttpClient client, object request, string? idempotencyKey = null)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = JsonContent.Create(request) };
        if (idempotencyKey is not null)
        {
            message.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, body);
        return JsonSerializer.Deserialize<SubmitJobResponse>(body, JsonSerializerOptions.Web)!.JobId;
    }

    public static Task<Guid> SubmitDemoAsync(this HttpClient client, int items, int delayMs = 0, int failAttempts = 0, int? maxAttempts = null, int? timeoutSeconds = null) =>
        client.SubmitAsync(new { type = "demo", payload = new { items, delayMs, failAttempts }, maxAttempts, timeoutSeconds });

    public static Task<Guid> SubmitLeadsAsync(this HttpClient client, string businessType, string location, int maxResults, int minConfidenceScore, int? maxAttempts = null) =>
        client.SubmitAsync(new { type = "leads.discover", payload = new { businessType, location, maxResults, minConfidenceScore }, maxAttempts });

    public static async Task<JobResponse> GetJobAsync(this HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<JobResponse>($"/api/jobs/{id}"))!;

    public static async Task<JobEventResponse[]> GetTimelineAsync(this HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<JobEventResponse[]>($"/api/jobs/{id}/timeline"))!;

    public static async Task<JobResponse> WaitForStatusAsync(this HttpClient client, Guid id, string status, TimeSpan? timeout = null)
    {
        JobResponse? job = null;
        await Eventually.TrueAsync(async () =>
        {
            job = await client.GetJobAsync(id);
            return job.Status == status;
        }, $"job {id} to be {status}", timeout);
        return job!;
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(this HttpClient client, string path, object? body = null)
    {
        using var response = await client.PostAsync(path, body is null ? null : JsonContent.Create(body));
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendRawAsync(this HttpClient client, HttpMethod method, string path, string? content, string contentType = "application/json")
    {
        using var message = new HttpRequestMessage(method, path);
        if (content is not null)
        {
            message.Content = new StringContent(content, System.Text.Encoding.UTF8, contentType);
        }

        using var response = await client.SendAsync(message);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", $"{(int)response.StatusCode} {method} {path}");
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    /// <summary>A body read as raw JSON (<see cref="PostAsync"/> answers problems too) as the contract record it is.</summary>
    public static T As<T>(this JsonElement body) => body.Deserialize<T>(JsonSerializerOptions.Web)!;

    /// <summary>The status of a job read as raw JSON (a command's answer, which may be a problem instead).</summary>
    public static string Status(this JsonElement job) => job.GetProperty("status").GetString()!;

    public static string[] Kinds(this IEnumerable<JobEventResponse> timeline) => timeline.Select(e => e.Kind).ToArray();

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
