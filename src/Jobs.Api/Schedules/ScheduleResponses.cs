using Jobs.Contracts.Schedules;
using Jobs.Core.Engine.Schedules;
using Jobs.Cron;

namespace Jobs.Api.Schedules;

/// <summary>How the API shows a schedule row: the contract record made from the engine's.</summary>
public static class ScheduleResponses
{
    extension(ScheduleResponse)
    {
        public static ScheduleResponse From(Schedule schedule)
        {
            var d = schedule.Definition;
            var next = schedule.NextRunAt is { } at
                ? ScheduleCron.Parse(d.Cron, d.TimeZone).Occurrences(at, ScheduleResponse.NextRunCount)
                : [];
            var id = schedule.Id;
            return new ScheduleResponse(
                id, d.Name, d.Cron, d.TimeZone, CronDescription.Describe(d.Cron, d.TimeZone), d.Type, d.Payload, d.Priority,
                d.MaxAttempts, d.TimeoutSeconds, d.MissedPolicy, schedule.Paused, schedule.NextRunAt, next, schedule.LastRunAt,
                schedule.LastJobId, schedule.UserId, schedule.CreatedAt, schedule.UpdatedAt,
                new ScheduleLinks($"/api/schedules/{id}", $"/api/jobs?scheduleId={id}", $"/api/schedules/{id}/pause",
                    $"/api/schedules/{id}/resume", $"/api/schedules/{id}/run"))
            {
                StoppedReason = schedule.OwnerRemoved && !schedule.Paused ? ScheduleStoppedReasons.OwnerRemoved : null,
            };
        }
    }
}
