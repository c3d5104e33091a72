using Jobs.Contracts.Jobs;
using Jobs.Core.Engine;

namespace Jobs.Api.Jobs;

/// <summary>How the API shows a job row: the contract records made from the engine's.</summary>
public static class JobResponses
{
    extension(JobResponse)
    {
        public static JobResponse From(Job job) => new(
            job.Id, job.Type, job.Queue, job.Priority, job.Status, job.Payload, job.Result, job.Progress, job.Stage,
            job.ProcessedItems, job.TotalItems, job.Metrics, job.Error, job.Attempt, job.MaxAttempts, job.RunAt,
            job.TimeoutSeconds, job.CancelRequestedAt, job.IdempotencyKey, job.Version, job.CreatedAt, job.StartedAt,
            job.CompletedAt, job.UpdatedAt,
            JobStateMachine.CanCancel(job.Status, job.CancelRequestedAt is not null),
            JobStateMachine.CanRetry(job.Status),
            LinksFor(job.Id),
            job.ScheduleId);

        public static JobLinks LinksFor(Guid id) => new(
            $"/api/jobs/{id}", $"/api/jobs/{id}/timeline", $"/api/jobs/{id}/events", $"/api/jobs/{id}/cancel", $"/api/jobs/{id}/retry");
    }
}
