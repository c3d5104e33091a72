using Jobs.Contracts.Jobs;
using Jobs.Contracts.Schedules;

namespace Jobs.Client;

/// <summary>The workspace's recurring schedules (<c>/api/schedules</c>; docs/api.md, "Schedules").</summary>
public sealed partial class JobsClient
{
    /// <summary>One page of schedules; pass its <see cref="ScheduleListResponse.NextCursor"/> for the next.</summary>
    public Task<ScheduleListResponse> ListSchedulesAsync(int? limit = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        ReadAsync<ScheduleListResponse>(WithQuery("api/schedules", ("limit", limit), ("cursor", cursor)), cancellationToken);

    /// <returns>The schedule, or null when the workspace has no such schedule.</returns>
    public Task<ScheduleResponse?> GetScheduleAsync(Guid id, CancellationToken cancellationToken = default) =>
        OrNullAsync(ReadAsync<ScheduleResponse>($"api/schedules/{id}", cancellationToken));

    /// <summary>The members <paramref name="schedule"/> leaves null are not sent: the API's defaults apply.</summary>
    /// <exception cref="JobsValidationException">The failing fields (<c>cron</c>, <c>timeZone</c>, <c>payload.…</c>).</exception>
    /// <exception cref="JobsConflictException"><c>schedule_name_taken</c>.</exception>
    public Task<ScheduleResponse> CreateScheduleAsync(ScheduleRequest schedule, CancellationToken cancellationToken = default) =>
        SendAsync<ScheduleResponse>(HttpMethod.Post, "api/schedules", schedule, cancellationToken);

    /// <summary>Sets the members <paramref name="changes"/> gives (PATCH); those left null keep their value.</summary>
    /// <exception cref="JobsNotFoundException">No such schedule in the workspace.</exception>
    public Task<ScheduleResponse> UpdateScheduleAsync(Guid id, ScheduleRequest changes, CancellationToken cancellationToken = default) =>
        SendAsync<ScheduleResponse>(HttpMethod.Patch, $"api/schedules/{id}", changes, cancellationToken);

    /// <summary>Pauses the schedule (no ticks fire) or resumes it.</summary>
    /// <exception cref="JobsNotFoundException">No such schedule in the workspace.</exception>
    public Task<ScheduleResponse> SetSchedulePausedAsync(Guid id, bool paused, CancellationToken cancellationToken = default) =>
        SendAsync<ScheduleResponse>(HttpMethod.Post, $"api/schedules/{id}/{(paused ? "pause" : "resume")}", null, cancellationToken);

    /// <summary>One job now, as a submit of the caller; not a tick.</summary>
    /// <exception cref="JobsRateLimitedException">The bulk limit refuses it.</exception>
    /// <exception cref="JobsConflictException">422 when its job type is gone.</exception>
    public Task<SubmitJobResponse> RunScheduleAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<SubmitJobResponse>(HttpMethod.Post, $"api/schedules/{id}/run", null, cancellationToken);

    /// <exception cref="JobsApiException">403 unless the caller made it or is an admin.</exception>
    public Task DeleteScheduleAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"api/schedules/{id}", null, cancellationToken);
}
