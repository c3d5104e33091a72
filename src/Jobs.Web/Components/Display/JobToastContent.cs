using Jobs.Contracts.Jobs;
using Jobs.Web.Live;

namespace Jobs.Web.Components.Display;

/// <summary>What a job's toast says at a moment: the phase (its icon), a headline, a detail line, the percent.</summary>
/// <param name="Phase">started, processing, completed, failed or cancelled.</param>
/// <param name="Percent">The bar's value; null for a bar that only says "working" (a long step has no rate to show).</param>
public sealed record JobToastContent(string Phase, string Headline, string? Detail, int? Percent)
{
    public const string Started = "started";

    public static JobToastContent Of(JobToastState job, DateTimeOffset now)
    {
        var display = job.Display;
        var title = JobText.Title(display, job.Type);
        var items = JobText.Items(display, job.Stage, job.ProcessedItems, job.TotalItems);
        switch (job.Status)
        {
            case JobStatus.Completed:
                return new(JobStatus.Completed, $"{title} completed", job.Outcome?.Text ?? items, null);
            case JobStatus.Failed:
                return new(JobStatus.Failed, job.Stage is null ? $"{title} failed" : $"{title} failed during {JobText.During(display, job.Stage)}",
                    job.Error ?? "It stopped without saying why.", null);
            case JobStatus.Cancelled:
                return new(JobStatus.Cancelled, $"{title} cancelled", items, null);
            case JobStatus.Processing when !JobText.HasItems(job.ProcessedItems, job.TotalItems):
                var elapsed = job.StartedAt is { } started ? now - started : TimeSpan.Zero;
                return new(JobStatus.Processing, JobText.LongStep(display, job.Stage, elapsed), job.Subtitle, null);
            case JobStatus.Processing:
                // Until the first item is done, the page's own words say what it works on ("92 contacts · Welcome").
                return new(JobStatus.Processing, JobText.Sentence(display, job.Stage),
                    job.ProcessedItems is > 0 || job.Subtitle is null ? items : job.Subtitle, job.Progress);
            default:
                return new(Started, job.Stage is null ? JobText.FirstSentence(display) : JobText.Sentence(display, job.Stage), job.Subtitle ?? items, 0);
        }
    }
}
