using Jobs.Contracts.Jobs;

namespace Jobs.StoreTests.Engine;

/// <summary>
/// The ends of an attempt written by the worker that holds it (docs/design.md, "Job lifecycle"): each one transition
/// with its event, and each frees or keeps the job's slot as the lifecycle table says.
/// </summary>
public sealed class JobOutcomeTests(PostgresFixture postgres)
{
    private readonly TestDatabase db = postgres.Shared;

    [Fact]
    public async Task A_progress_write_sets_the_values_and_a_stage_change_adds_a_stage_event()
    {
        var ws = await db.NewWorkspaceAsync();
        var job = await ws.StartAsync();

        var quiet = await db.Jobs.JobSetProgressIfRunningAsync(AttemptWrites.Progress(job.Lease, 10), Ct);
        var staged = await db.Jobs.JobSetProgressIfRunningAsync(AttemptWrites.Progress(job.Lease, 60, "Scoring", "scoring 6 of 10"), Ct);

        quiet.ShouldNotBeNull().Version.ShouldBe(job.Version + 1);
        staged.ShouldNotBeNull();
        (staged.Progress, staged.Stage, staged.ProcessedItems, staged.TotalItems, staged.Version).ShouldBe(((short)60, "Scoring", 60L, 100L, job.Version + 2));
        var events = await db.Jobs.JobEventListAsync(ws.Id, job.Id, Ct);
        events.Select(e => e.Kind).ShouldBe([JobEventKind.Created, JobEventKind.Started, JobEventKind.Stage]);
        (events[^1].Stage, events[^1].Message, events[^1].Attempt).ShouldBe(("Scoring", "scoring 6 of 10", 1));
    }

    [Fact]
    public async Task A_failure_without_retry_ends_the_job_and_frees_its_slot()
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 1);
        var job = await ws.StartAsync();
        var waiting = await ws.SubmitOneAsync();

        var failed = (await db.Jobs.JobFailIfRunningAsync(job.Lease, "no such customer", retryAfter: null, Ct)).ShouldNotBeNull();

        (failed.Status, failed.Error, failed.LeaseOwner).ShouldBe((JobStatus.Failed, "no such customer", null));
        failed.CompletedAt.ShouldNotBeNull();
        var last = (await db.Jobs.JobEventListAsync(ws.Id, job.Id, Ct))[^1];
        (last.Kind, last.Message).ShouldBe((JobEventKind.Failed, "no such customer"));
        (await ws.HintAsync()).ShouldHaveSingleItem().JobId.ShouldBe(waiting.Id);
    }

    [Fact]
    public async Task A_retry_later_waits_unhinted_until_its_time_and_frees_its_slot()
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 1);
        var job = await ws.StartAsync();
        var waiting = await ws.SubmitOneAsync();

        var retried = (await db.Jobs.JobFailIfRunningAsync(job.Lease, "timeout", TimeSpan.FromHours(1), Ct)).ShouldNotBeNull();

        (retried.Status, retried.Attempt, retried.Error, retried.CompletedAt).ShouldBe((JobStatus.Pending, 1, "timeout", null));
        retried.RunAt.ShouldBe(DateTimeOffset.UtcNow.AddHours(1), TimeSpan.FromSeconds(10));
        (await ws.EventKindsAsync(job.Id))[^1].ShouldBe(JobEventKind.RetryScheduled);
        // The slot went to the next job; the retry is not due, so it is neither hinted nor claimable.
        (await ws.HintAsync()).ShouldHaveSingleItem().JobId.ShouldBe(waiting.Id);
        (await db.Jobs.JobClaimManyAsync(new JobClaimManyParams([job.Id], "worker-1", TestWorkspace.Lease), Ct)).Claimed.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_retry_due_now_is_ready_for_the_next_fill()
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 1);
        var job = await ws.StartAsync();

        (await db.Jobs.JobFailIfRunningAsync(job.Lease, "flaky", TimeSpan.Zero, Ct)).ShouldNotBeNull().Status.ShouldBe(JobStatus.Pending);

        (await ws.HintAsync()).ShouldHaveSingleItem().JobId.ShouldBe(job.Id);
        (await ws.ClaimAsync(job.Id)).Attempt.ShouldBe(2);
    }

    [Fact]
    public async Task A_cancel_by_the_worker_ends_the_job_cancelled_and_frees_its_slot()
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 1);
        var job = await ws.StartAsync();
        await db.Jobs.JobCancelAsync(ws.Id, job.Id, null, Ct);
        var waiting = await ws.SubmitOneAsync();

        var cancelled = (await db.Jobs.JobCancelIfRunningAsync(job.Lease, Ct)).ShouldNotBeNull();

        (cancelled.Status, cancelled.LeaseOwner).ShouldBe((JobStatus.Cancelled, null));
        cancelled.CompletedAt.ShouldNotBeNull();
        (await ws.EventKindsAsync(job.Id)).TakeLast(2).ShouldBe([JobEventKind.CancelRequested, JobEventKind.Cancelled]);
        (await ws.HintAsync()).ShouldHaveSingleItem().JobId.ShouldBe(waiting.Id);
    }

    [Fact]
    public async Task A_hand_back_keeps_the_slot_so_the_job_can_be_claimed_again_at_once()
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 1);
        var job = await ws.StartAsync();
        await ws.SubmitOneAsync();

        var handedBack = (await db.Jobs.JobHandBackIfRunningAsync(job.Lease, Ct)).ShouldNotBeNull();

        (handedBack.Status, handedBack.Attempt, handedBack.LeaseOwner).ShouldBe((JobStatus.Pending, 1, null));
        var last = (await db.Jobs.JobEventListAsync(ws.Id, job.Id, Ct))[^1];
        (last.Kind, last.Message).ShouldBe((JobEventKind.HandedBack, "worker shutting down"));
        (await ws.HintAsync()).ShouldBeEmpty();
        (await ws.ClaimAsync(job.Id, "worker-2")).Attempt.ShouldBe(2);
    }

    [Theory]
    [InlineData("retry")]
    [InlineData("hand back")]
    public async Task A_cancel_requested_during_the_attempt_ends_the_job_when_the_attempt_would_go_back_to_pending(string end)
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 1);
        var job = await ws.StartAsync();
        (await db.Jobs.JobCancelAsync(ws.Id, job.Id, null, Ct)).Applied.ShouldBeTrue();
        var waiting = await ws.SubmitOneAsync();

        var outcome = end == "retry"
            ? await db.Jobs.JobFailIfRunningAsync(job.Lease, "flaky", TimeSpan.Zero, Ct)
            : await db.Jobs.JobHandBackIfRunningAsync(job.Lease, Ct);

        // Pending with a cancel request, no fill would hint it and no claim take it: it would never end, and a hand-back
        // would keep its slot for good. It ends cancelled, as a rescue ends it, and its slot goes to the next job.
        var ended = outcome.ShouldNotBeNull();
        (ended.Status, ended.LeaseOwner).ShouldBe((JobStatus.Cancelled, null));
        ended.CompletedAt.ShouldNotBeNull();
        (await ws.EventKindsAsync(job.Id))[^1].ShouldBe(JobEventKind.Cancelled);
        (await ws.HintAsync()).ShouldHaveSingleItem().JobId.ShouldBe(waiting.Id);
    }
}
