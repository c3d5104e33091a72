using System.Text.Json;
using Jobs.Contracts.Jobs;

namespace Jobs.Web.Api;

/// <summary>What the pages read off a job and a job type beyond the API's records.</summary>
public static class JobResponseExtensions
{
    extension(JobResponse job)
    {
        /// <summary>
        /// This job with a live update applied, when the update is newer than what was read
        /// (docs/design.md, "Live updates"); otherwise this job unchanged. <c>CanCancel</c> and <c>CanRetry</c> are not
        /// in an update: a page re-reads the row on a change of status to refresh them.
        /// </summary>
        public JobResponse Apply(JobUpdate update) => update.JobId != job.Id || update.Sequence <= job.Sequence
            ? job
            : job with
            {
                Status = update.Status,
                Progress = update.Progress,
                Stage = update.Stage,
                ProcessedItems = update.ProcessedItems,
                TotalItems = update.TotalItems,
                Metrics = update.Metrics,
                Error = update.Error,
                Attempt = update.Attempt,
                Sequence = update.Sequence,
                UpdatedAt = update.Timestamp,
            };

        public bool IsTerminal => JobStatus.IsFinal(job.Status);

        /// <summary>A pending job some of whose dependencies have not finished: it waits for them, not for a slot.</summary>
        public bool IsWaitingForDependencies => job.Status == JobStatus.Pending && job.WaitingFor > 0;
    }

    extension(JobTypeResponse type)
    {
        /// <summary>The type's name for people ("Lead discovery"), or its machine name when its workers publish none.</summary>
        public string Title => type.Display?.Title ?? type.Name;

        /// <summary>Destroys data for good (<see cref="SchemaKeywords.Destructive"/>): the form asks first and never offers it first.</summary>
        public bool Destructive =>
            type.PayloadSchema.ValueKind == JsonValueKind.Object
            && type.PayloadSchema.TryGetProperty(SchemaKeywords.Destructive, out var destructive)
            && destructive.ValueKind == JsonValueKind.True;
    }
}
