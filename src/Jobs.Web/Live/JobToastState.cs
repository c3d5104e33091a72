using System.Text.Json;
using Jobs.Contracts.Jobs;
using Jobs.Web.Api;
using Jobs.Web.Components.Display;
using MudBlazor;

namespace Jobs.Web.Live;

/// <summary>
/// One followed job as its toast shows it: the job as last read or heard
/// (newer sequences only: docs/design.md, "Live updates"), and, once it ended, its outcome. <see cref="Changed"/>
/// re-renders the toast in place.
/// </summary>
public sealed class JobToastState(Guid jobId, string type, JobTypeDisplay? display, string? subtitle)
{
    public Guid JobId { get; } = jobId;

    public string Type { get; } = type;

    public JobTypeDisplay? Display { get; } = display;

    /// <summary>What the job works on, as the page that started it put it ("92 contacts · Welcome").</summary>
    public string? Subtitle { get; set; } = subtitle;

    public string Status { get; private set; } = JobStatus.Pending;

    public string? Stage { get; private set; }

    public int Progress { get; private set; }

    public long? ProcessedItems { get; private set; }

    public long? TotalItems { get; private set; }

    public JsonElement Metrics { get; private set; }

    public string? Error { get; private set; }

    public long Sequence { get; private set; } = -1;

    /// <summary>When the current attempt started, for the elapsed time of a long step.</summary>
    public DateTimeOffset? StartedAt { get; private set; }

    /// <summary>When the toast saw the job end: ended toasts beyond the cap go oldest first.</summary>
    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>The completed job's own words, once its result was read.</summary>
    public JobOutcome.Summary? Outcome { get; private set; }

    public bool IsEnded => JobStatus.IsFinal(Status);

    internal Snackbar? Snackbar { get; set; }

    public event Action? Changed;

    /// <returns>Whether the update was newer than what the toast showed.</returns>
    public bool Apply(JobUpdate update, DateTimeOffset now)
    {
        if (update.JobId != JobId || update.Sequence <= Sequence)
        {
            return false;
        }

        if (update.Status == JobStatus.Processing && Status != JobStatus.Processing)
        {
            StartedAt = update.Timestamp; // The claim's update: the attempt starts now.
        }

        Set(update.Status, update.Stage, update.Progress, update.ProcessedItems, update.TotalItems, update.Metrics, update.Error, update.Sequence, now);
        return true;
    }

    /// <returns>Whether the read was as new as what the toast showed, or newer.</returns>
    public bool Apply(JobResponse job, DateTimeOffset now)
    {
        if (job.Id != JobId || job.Sequence < Sequence)
        {
            return false;
        }

        if (job.Sequence > Sequence)
        {
            StartedAt = job.StartedAt;
            Set(job.Status, job.Stage, job.Progress, job.ProcessedItems, job.TotalItems, job.Metrics, job.Error, job.Sequence, now);
        }

        // The same version as the update that ended it, read for what the update does not carry: the result.
        if (job.Status == JobStatus.Completed && Status == JobStatus.Completed)
        {
            Outcome = JobOutcome.Of(JobId, Type, job.Result, job.Metrics);
        }

        return true;
    }

    public void NotifyChanged() => Changed?.Invoke();

    private void Set(string status, string? stage, int progress, long? processed, long? total, JsonElement metrics, string? error, long sequence, DateTimeOffset now)
    {
        var wasEnded = IsEnded;
        (Status, Stage, Progress, ProcessedItems, TotalItems, Metrics, Error, Sequence) = (status, stage, progress, processed, total, metrics, error, sequence);
        if (IsEnded && !wasEnded)
        {
            EndedAt = now;
        }
        else if (!IsEnded)
        {
            (EndedAt, Outcome) = (null, null); // Retried: it runs again.
        }
    }
}
