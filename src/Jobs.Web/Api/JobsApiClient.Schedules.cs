using System.Net.Http.Json;
using Jobs.Contracts.Jobs;
using Jobs.Contracts.Schedules;

namespace Jobs.Web.Api;

/// <summary>The workspace's recurring schedules (<c>/api/schedules</c>).</summary>
public sealed partial class JobsApiClient
{
    public async Task<ScheduleListResponse> ListSchedulesAsync(int limit, string? cursor, CancellationToken cancellationToken)
    {
        var path = $"/api/schedules?limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
        return await SendAsync<ScheduleListResponse>(HttpMethod.Get, path, null, cancellationToken);
    }

    /// <returns>The schedule, or null when the workspace has no such schedule.</returns>
    public async Task<ScheduleResponse?> GetScheduleAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync<ScheduleResponse>(HttpMethod.Get, $"/api/schedules/{id}", null, cancellationToken);
        }
        catch (ApiProblemException ex) when (ex.Problem.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    /// <summary>The members <paramref name="input"/> leaves null are not sent: the API's defaults apply.</summary>
    /// <exception cref="ApiProblemException">400 with the failing fields, 409 <c>schedule_name_taken</c>.</exception>
    public Task<ScheduleResponse> CreateScheduleAsync(ScheduleRequest input, CancellationToken cancellationToken) =>
        SendAsync<ScheduleResponse>(HttpMethod.Post, "/api/schedules", JsonContent.Create(input, options: WithoutNulls), cancellationToken);

    /// <summary>
    /// Sets the form's fields with PATCH, so that what the form does not show (attempts, timeout; left null, so not
    /// sent) keeps its value.
    /// </summary>
    /// <exception cref="ApiProblemException">400 with the failing fields, 404, 409 <c>schedule_name_taken</c>.</exception>
    public Task<ScheduleResponse> UpdateScheduleAsync(Guid id, ScheduleRequest input, CancellationToken cancellationToken) =>
        SendAsync<ScheduleResponse>(HttpMethod.Patch, $"/api/schedules/{id}", JsonContent.Create(input, options: WithoutNulls), cancellationToken);

    public Task<ScheduleResponse> SetSchedulePausedAsync(Guid id, bool paused, CancellationToken cancellationToken) =>
        SendAsync<ScheduleResponse>(HttpMethod.Post, $"/api/schedules/{id}/{(paused ? "pause" : "resume")}", null, cancellationToken);

    /// <summary>One job now, as a submit of the signed-in user; not a tick.</summary>
    /// <exception cref="ApiProblemException">429 when the bulk limit refuses it, 422 when its job type is gone.</exception>
    public Task<SubmitJobResponse> RunScheduleAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<SubmitJobResponse>(HttpMethod.Post, $"/api/schedules/{id}/run", null, cancellationToken);

    /// <exception cref="ApiProblemException">403 unless the user made it or is an admin.</exception>
    public Task DeleteScheduleAsync(Guid id, CancellationToken cancellationToken) =>
        SendWithoutAnswerAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/schedules/{id}"), cancellationToken);
}
