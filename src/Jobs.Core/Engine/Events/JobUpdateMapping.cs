using Jobs.Contracts.Jobs;

namespace Jobs.Core.Engine.Events;

/// <summary>A job's live update as the engine makes it from the row (the record itself is a contract).</summary>
public static class JobUpdateMapping
{
    extension(JobUpdate)
    {
        /// <summary>The update that says what <paramref name="job"/> is now; <see cref="JobUpdate.Sequence"/> is its version.</summary>
        public static JobUpdate From(Job job, string? message = null) => new(
            job.Id,
            job.WorkspaceId,
            job.Type,
            job.Status,
            job.Progress,
            job.Stage,
            job.ProcessedItems,
            job.TotalItems,
            job.Metrics,
            message,
            job.Error,
            job.Attempt,
            job.Version,
            job.UpdatedAt);
    }
}
