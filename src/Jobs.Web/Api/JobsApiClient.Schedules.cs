using Jobs.Contracts.Jobs;

namespace Jobs.Web.Api;

/// <summary>The workspace's recurring schedules (<c>/api/schedules</c>).</summary>
public sealed partial class JobsApiClient
{
    public async Task<ScheduleListPage> ListSchedulesAsync(int limit, string? cursor, CancellationToken cancellationToken)
    {
        var path = $"/api/schedules?limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
        return await SendAsync<ScheduleListPage>(HttpMethod.Get, path, null, cancellationToken);
    }

    /// <returns>The schedule, or null when the workspace has no such schedule.</returns>
    public async Task<ScheduleView?> GetScheduleAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync<ScheduleView>(HttpMethod.Get, $"/api/schedules/{id}", null, cancellationToken);
        }
        catch (ApiProblemException ex) when (ex.Problem.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    /// <exception cref="ApiProblemException">400 with the failing fields, 409 <c>schedule_name_taken</c>.</exception>
    public Task<ScheduleView> CreateScheduleAsync(ScheduleInput input, CancellationToken cancellationToken) =>
        SendAsync<ScheduleView>(HttpMethod.Post, "/api/schedules", Json(input), cancellationToken);

    /// <summary>
    /// Sets the form's fields with PATCH, so that what the form does not show (attempts, timeout) keeps its value.
    /// </summary>
    /// <exception cref="ApiProblemException">400 with the failing fields, 404, 409 <c>schedule_name_taken</c>.</exception>
    public Task<ScheduleView> UpdateScheduleAsync(Guid id, ScheduleInput input, CancellationToken cancellationToken) =>
        SendAsync<ScheduleView>(HttpMethod.Patch, $"/api/schedules/{id}", Json(input), cancellationToken);

    public Task<ScheduleView> SetSchedulePausedAsync(Guid id, bool paused, CancellationToken cancellationToken) =>
        SendAsync<ScheduleView>(HttpMethod.Post, $"/api/schedules/{id}/{(paused ? "pause" : "resume")}", null, cancellationToken);

    /// <summary>One job now, as a submit of the signed-in user; not a tick.</summary>
    /// <exception cref="ApiProblemException">429 when the bulk limit refuses it, 422 when its job type is gone.</exception>
    public Task<SubmitJobResponse> RunScheduleAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<SubmitJobResponse>(HttpMethod.Post, $"/api/schedules/{id}/run", null, cancellationToken);

    /// <exception cref="ApiProblemException">403 unless the user made it or is an admin.</exception>
    public Task DeleteScheduleAsync(Guid id, CancellationToken cancellationToken) =>
        SendWithoutAnswerAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/schedules/{id}"), cancellationToken);
}
