using Jobs.Contracts.Pauses;

namespace Jobs.Client;

/// <summary>The workspace's paused queues and job types (<c>/api/pauses</c>; docs/api.md, "Pauses").</summary>
public sealed partial class JobsClient
{
    /// <summary>What is paused in the workspace; any member may read it.</summary>
    public Task<PauseListResponse> ListPausesAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<PauseListResponse>("api/pauses", cancellationToken);

    /// <summary>
    /// Pauses (its pending jobs wait, nothing running is touched) or resumes (they start at once) every job type on
    /// <paramref name="queue"/>; doing what is already done changes nothing.
    /// </summary>
    /// <exception cref="JobsApiException">403 unless an admin.</exception>
    /// <exception cref="JobsNotFoundException"><c>queue_not_found</c>: no job type runs on the queue (when pausing).</exception>
    public Task SetQueuePausedAsync(string queue, bool paused, CancellationToken cancellationToken = default) =>
        SetPausedAsync($"api/pauses/queues/{Uri.EscapeDataString(queue)}", paused, cancellationToken);

    /// <summary>Pauses or resumes one job type; doing what is already done changes nothing.</summary>
    /// <exception cref="JobsApiException">403 unless an admin.</exception>
    /// <exception cref="JobsNotFoundException"><c>job_type_not_found</c>: no worker runs the type (when pausing).</exception>
    public Task SetJobTypePausedAsync(string type, bool paused, CancellationToken cancellationToken = default) =>
        SetPausedAsync($"api/pauses/types/{Uri.EscapeDataString(type)}", paused, cancellationToken);

    private Task SetPausedAsync(string path, bool paused, CancellationToken cancellationToken) =>
        SendAsync(paused ? HttpMethod.Put : HttpMethod.Delete, path, null, cancellationToken);
}
