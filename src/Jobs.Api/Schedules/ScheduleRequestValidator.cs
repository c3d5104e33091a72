using Jobs.Api.Jobs;
using Jobs.Api.Problems;
using Jobs.Contracts.Jobs;
using Jobs.Contracts.Schedules;
using Jobs.Core.Engine.Catalog;
using Jobs.Core.Engine.Schedules;
using Jobs.Cron;

namespace Jobs.Api.Schedules;

/// <summary>
/// Checks a schedule: its own fields here, and the job it makes with the submit's validator, so that a payload error
/// has the same field and message as it would on <c>POST /api/jobs</c>. Every failing field is collected. A schedule of
/// a bulk type may not fire more often than the workspace's bulk jobs per hour, which its ticks would otherwise bypass.
/// </summary>
public sealed class ScheduleRequestValidator(JobRequestValidator jobs, JobTypeCatalog catalog)
{
    public const int MaxNameLength = 100;

    // An expression fires at most once a second: a limit of an hour's seconds or more cannot be exceeded.
    private const int SecondsPerHour = 3600;

    /// <summary>
    /// The definition <paramref name="request"/> asks for, with what it leaves out taken from <paramref name="current"/>
    /// (a PATCH) or the job type's defaults; null when any field is wrong.
    /// </summary>
    public async Task<ScheduleDefinition?> ValidateAsync(
        ScheduleRequest? request, ScheduleDefinition? current, ScheduleLimits limits, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            errors["body"] = ["is required: send a JSON object with name, cron, timeZone, type and payload."];
            return null;
        }

        UnknownFields.Check(request.Unknown, "", errors);
        var name = request.Name ?? current?.Name;
        if (string.IsNullOrWhiteSpace(name))
        {
            errors["name"] = ["is required."];
        }
        else if (name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            errors["name"] = [$"must be 1 to {MaxNameLength} printable characters."];
        }

        var cronText = request.Cron ?? current?.Cron;
        var zone = request.TimeZone ?? current?.TimeZone;
        var cron = ScheduleCron.TryParse(cronText, zone, out var cronError, out var zoneError);
        if (cronError is not null)
        {
            errors["cron"] = [cronError];
        }

        if (zoneError is not null)
        {
            errors["timeZone"] = [zoneError];
        }

        if (cron is not null && cron.NextAfter(DateTimeOffset.UtcNow) is null)
        {
            errors["cron"] = ["never occurs (no date matches it)."];
        }

        var missedPolicy = request.MissedPolicy ?? current?.MissedPolicy ?? ScheduleMissedPolicy.RunOnce;
        if (!ScheduleMissedPolicy.All.Contains(missedPolicy))
        {
            errors["missedPolicy"] = [$"must be one of {string.Join(", ", ScheduleMissedPolicy.All)}."];
        }

        // The job: a submit's fields with a submit's rules. A PATCH that changes the type without a payload is checked
        // against the new type's schema with the payload it has. The stored attempts and timeout are the old type's
        // defaults unless set: a new type left without them takes its own defaults.
        var kept = request.Type is null || request.Type == current?.Type ? current : null;
        var job = new SubmitJobRequest(
            request.Type ?? current?.Type,
            request.Payload ?? current?.Payload,
            request.Priority ?? current?.Priority,
            MaxAttempts: request.MaxAttempts ?? kept?.MaxAttempts,
            TimeoutSeconds: request.TimeoutSeconds ?? kept?.TimeoutSeconds);
        var insert = await jobs.ValidateAsync(job, "", limits.MaxBatchItems, errors, cancellationToken);
        if (insert is null || errors.Count > 0)
        {
            return null;
        }

        if (await catalog.FindAsync(insert.Type, cancellationToken) is { Bulk: true } && FiresMoreOftenThan(cron!, limits.BulkJobsPerHour))
        {
            errors["cron"] = [$"fires more than {limits.BulkJobsPerHour} times in an hour: {insert.Type} is a bulk job type, and this workspace "
                + $"allows {limits.BulkJobsPerHour} bulk jobs an hour per user (bulk_jobs_per_hour)."];
            return null;
        }

        return new ScheduleDefinition(
            name!.Trim(), cronText!.Trim(), zone!, insert.Type, insert.Payload, insert.Priority, insert.MaxAttempts, insert.TimeoutSeconds, missedPolicy);
    }

    /// <summary>Whether the expression's next <paramref name="perHour"/> + 1 ticks fall within one hour.</summary>
    private static bool FiresMoreOftenThan(ScheduleCron cron, int perHour)
    {
        if (perHour >= SecondsPerHour)
        {
            return false;
        }

        var ticks = cron.Occurrences(DateTimeOffset.UtcNow, perHour + 1);
        return ticks.Count == perHour + 1 && ticks[^1] - ticks[0] < TimeSpan.FromHours(1);
    }
}
