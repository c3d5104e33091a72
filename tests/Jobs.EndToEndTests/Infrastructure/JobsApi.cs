using System.Net.Http.Json;
using System.Text.Json;

namespace Jobs.EndToEndTests.Infrastructure;

/// <summary>
/// The API as a test's setup uses it: a session key for a seeded user, jobs submitted and read directly, so that the
/// browser part of a test is only what it is about.
/// </summary>
public sealed class JobsApi : IDisposable
{
    private readonly HttpClient _http;

    private JobsApi(HttpClient http) => _http = http;

    public static async Task<JobsApi> SignInAsync(Topology topology, string email)
    {
        var http = new HttpClient { BaseAddress = topology.ApiUrl };
        using var response = await http.PostAsJsonAsync("/api/sessions", new { email, password = topology.Password });
        response.EnsureSuccessStatusCode();
        var session = await response.Content.ReadFromJsonAsync<JsonElement>();
        http.DefaultRequestHeaders.Add("X-Api-Key", session.GetProperty("apiKey").GetString());
        return new JobsApi(http);
    }

    public async Task<Guid> SubmitDemoJobAsync(int items, int delayMs)
    {
        using var response = await _http.PostAsJsonAsync("/api/jobs", new { type = "demo", payload = new { items, delayMs } });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
    }

    public async Task<Guid> SubmitAsync(string type, object payload)
    {
        using var response = await _http.PostAsJsonAsync("/api/jobs", new { type, payload });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
    }

    /// <summary>Polls the job until it is terminal (a test's setup, not what it is about); fails after a minute.</summary>
    public async Task<JsonElement> WaitForTerminalAsync(Guid id)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var job = await GetJobAsync(id);
            if (job.GetProperty("status").GetString() is "completed" or "failed" or "cancelled")
            {
                return job;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Job {id} is still {job.GetProperty("status").GetString()} after a minute.");
            }

            await Task.Delay(200);
        }
    }

    public async Task<JsonElement> GetJobAsync(Guid id) => await _http.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}");

    /// <summary>The ids of the workspace's contacts whose email, name or company contains the text.</summary>
    public async Task<IReadOnlyList<Guid>> SearchContactsAsync(string text)
    {
        var page = await _http.GetFromJsonAsync<JsonElement>($"/api/contacts?search={Uri.EscapeDataString(text)}&limit=200");
        return [.. page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid())];
    }

    /// <summary>Any read of the API as this user (the workspace, its users), for a test's assertions.</summary>
    public async Task<JsonElement> GetJsonAsync(string path) => await _http.GetFromJsonAsync<JsonElement>(path);

    public async Task<JsonElement> PostJsonAsync(string path, object body)
    {
        using var response = await _http.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> PutJsonAsync(string path, object body)
    {
        using var response = await _http.PutAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Clean-up: a DELETE whose answer does not matter (what it deletes may be gone already).</summary>
    public async Task DeleteAsync(string path)
    {
        using var response = await _http.DeleteAsync(path);
    }

    /// <summary>Clean-up: stops a job a test left running. A 409 (it finished meanwhile) is as good.</summary>
    public async Task CancelAsync(Guid id)
    {
        using var response = await _http.PostAsync($"/api/jobs/{id}/cancel", null);
    }

    public void Dispose() => _http.Dispose();
}
