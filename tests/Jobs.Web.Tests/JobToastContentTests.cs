using System.Text.Json;
using Jobs.Contracts.Jobs;
using Jobs.Web.Api;
using Jobs.Web.Components.Display;
using Jobs.Web.Live;

namespace Jobs.Web.Tests;

/// <summary>A followed job's toast through its life, as the live updates and the reads of the job move it.</summary>
public sealed class JobToastContentTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly JsonElement NoMetrics = JsonDocument.Parse("{}").RootElement;
    private readonly Guid jobId = Guid.NewGuid();

    [Fact]
    public void Subscription_GoesFromStarted_ThroughNOfM_ToItsCounts()
    {
        var toast = new JobToastState(jobId, "contacts.subscribe", Displays.Subscribe, "92 contacts · Welcome");

        var started = JobToastContent.Of(toast, Start);
        toast.Apply(Update(1, JobStatus.Processing, "subscribing", 0, 0, 92), Start);
        var first = JobToastContent.Of(toast, Start);
        toast.Apply(Update(2, JobStatus.Processing, "subscribing", 49, 45, 92), Start);
        var processing = JobToastContent.Of(toast, Start);
        toast.Apply(Update(3, JobStatus.Completed, "subscribing", 100, 92, 92), Start);
        var completedBeforeRead = JobToastContent.Of(toast, Start);
        toast.Apply(View(3, JobStatus.Completed, """{"succeeded": [1,2,3], "blocked": [{"reason": "already_enrolled"}], "failed": []}"""), Start);
        var completed = JobToastContent.Of(toast, Start);

        started.ShouldBe(new JobToastContent("started", "Subscribing contacts to sequence…", "92 contacts · Welcome", 0));
        first.ShouldBe(new JobToastContent(JobStatus.Processing, "Subscribing contacts to sequence…", "92 contacts · Welcome", 0));
        processing.ShouldBe(new JobToastContent(JobStatus.Processing, "Subscribing contacts to sequence…", "45 of 92 contacts", 49));
        completedBeforeRead.ShouldBe(new JobToastContent(JobStatus.Completed, "Sequence subscription completed", "92 of 92 contacts", null));
        completed.ShouldBe(new JobToastContent(JobStatus.Completed, "Sequence subscription completed", "3 subscribed · 1 skipped (already enrolled)", null));
    }

    [Fact]
    public void AnOlderUpdate_ChangesNothing()
    {
        var toast = new JobToastState(jobId, "contacts.subscribe", Displays.Subscribe, null);
        toast.Apply(Update(5, JobStatus.Completed, "subscribing", 100, 92, 92), Start).ShouldBeTrue();

        toast.Apply(Update(4, JobStatus.Processing, "subscribing", 49, 45, 92), Start).ShouldBeFalse();

        toast.Status.ShouldBe(JobStatus.Completed);
    }

    [Fact]
    public void Failure_SaysWhereAndWhy()
    {
        var toast = new JobToastState(jobId, "leads.discover", Displays.Leads, null);
        toast.Apply(Update(4, JobStatus.Failed, "scoring", 40, 3, 10, "The places service answered 503."), Start);

        JobToastContent.Of(toast, Start).ShouldBe(new JobToastContent(JobStatus.Failed, "Lead discovery failed during scoring", "The places service answered 503.", null));
    }

    [Fact]
    public void LongStep_CountsUpFromTheStart_WithoutAPercent()
    {
        var toast = new JobToastState(jobId, "journey.from-diagram", Displays.Diagram, null);
        toast.Apply(Update(1, JobStatus.Processing, "waiting_for_model", 10, null, null), Start);

        JobToastContent.Of(toast, Start.AddSeconds(5)).Headline.ShouldBe("Analyzing the diagram… 5 s");
        JobToastContent.Of(toast, Start.AddSeconds(45)).Headline.ShouldBe("Still analyzing the diagram… 45 s (a complex diagram takes longer)");
        JobToastContent.Of(toast, Start.AddSeconds(45)).Percent.ShouldBeNull();
    }

    [Fact]
    public void Retry_ClearsTheEnding()
    {
        var toast = new JobToastState(jobId, "leads.discover", Displays.Leads, null);
        toast.Apply(Update(4, JobStatus.Failed, "scoring", 40, 3, 10, "boom"), Start);

        toast.Apply(Update(5, JobStatus.Pending, "scoring", 40, 3, 10), Start);

        toast.IsEnded.ShouldBeFalse();
        toast.EndedAt.ShouldBeNull();
        JobToastContent.Of(toast, Start).Phase.ShouldBe("started");
    }

    private JobUpdate Update(long sequence, string status, string? stage, short progress, long? processed, long? total, string? error = null) =>
        new(jobId, Guid.Empty, "contacts.subscribe", status, progress, stage, processed, total, NoMetrics, null, error, 1, sequence, Start);

    private JobResponse View(long sequence, string status, string result) =>
        new(jobId, "contacts.subscribe", "default", 0, status, JsonDocument.Parse("{}").RootElement, JsonDocument.Parse(result).RootElement,
            100, "subscribing", 92, 92, NoMetrics, null, 1, 3, Start, 3600, null, null, sequence, Start, Start, Start, Start, false, false,
            new JobLinks("", "", "", "", ""), null);
}
