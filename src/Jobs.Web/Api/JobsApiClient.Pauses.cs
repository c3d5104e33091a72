using Jobs.Contracts.Pauses;

namespace Jobs.Web.Api;

/// <summary>The workspace's paused queues and job types (<c>/api/pauses</c>); pausing and resuming are for admins.</summary>
public sealed partial class JobsApiClient
{
    public Task<PauseListResponse> ListPausesAsync(CancellationToken cancellationToken) =>
        SendAsync<PauseListResponse>(HttpMethod.Get, "/api/pauses", null, cancellationToken);

    /// <summary>Pauses or resumes a queue; doing what is already done changes nothing.</summary>
    /// <exception cref="ApiProblemException">403 unless an admin, 404 when no job type runs on the queue.</exception>
    public Task SetQueuePausedAsync(string queue, bool paused, CancellationToken cancellationToken) =>
        SetPausedAsync($"/api/pauses/queues/{Uri.EscapeDataString(queue)}", paused, cancellationToken);

    /// <summary>Pauses or resumes a job type; doing what is already done changes nothing.</summary>
    /// <exception cref="ApiProblemException">403 unless an admin, 404 when no worker runs the type.</exception>
    public Task SetTypePausedAsync(string type, bool paused, CancellationToken cancellationToken) =>
        SetPausedAsync($"/api/pauses/types/{Uri.EscapeDataString(type)}", paused, cancellationToken);

    private Task SetPausedAsync(string path, bool paused, CancellationToken cancellationToken) =>
        SendWithoutAnswerAsync(new HttpRequestMessage(paused ? HttpMethod.Put : HttpMethod.Delete, path), cancellationToken);
}
