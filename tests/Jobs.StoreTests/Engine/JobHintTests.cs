using Jobs.Contracts.Jobs;
using Jobs.Contracts.Workspaces;

namespace Jobs.StoreTests.Engine;

/// <summary>
/// <see cref="IJobStore.JobHintDueAsync"/> for one workspace, the fill of its free slots (docs/design.md, "Admission,
/// limits and fairness"): processing + hinted never exceeds the limit, the best job takes a freed slot, and a limit
/// changed at run time applies to the next fill and claim.
/// </summary>
public sealed class JobHintTests(PostgresFixture postgres)
{
    private readonly TestDatabase db = postgres.Shared;

    [Fact]
    public async Task Processing_and_hinted_jobs_never_exceed_the_limit()
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 2);
        await ws.SubmitAsync(6, hint: false);

        var hinted = await ws.HintAsync();
        hinted.Count.ShouldBe(2);
        (await ws.HintAsync()).ShouldBeEmpty();

        var running = new List<Job>();
        foreach (var hint in hinted)
        {
            running.Add(await ws.ClaimAsync(hint.JobId));
        }

        // Processing jobs hold their slots: nothing more to hint.
        (await ws.HintAsync()).ShouldBeEmpty();
        (await db.Workspaces.WorkspaceUsageGetAsync(ws.Id, Ct)).Processing.ShouldBe(2);

        // Each end of an attempt gives one slot back, and one more job gets it.
        var completed = await db.Jobs.JobWriteManyAsync(AttemptWrites.Complete(AttemptWrites.Completion(running[0].Lease, ws.Id)), Ct);
        completed.Hints.ShouldHaveSingleItem().JobId.ShouldNotBeOneOf([.. hinted.Select(h => h.JobId)]);
        (await db.Jobs.JobFailIfRunningAsync(running[1].Lease, "boom", retryAfter: null, Ct)).ShouldNotBeNull();
        (await ws.HintAsync()).ShouldHaveSingleItem();
        (await ws.HintAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_freed_slot_goes_to_the_highest_priority_then_the_earliest_due_then_the_oldest()
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 1);
        var low = await ws.SubmitOneAsync(TestWorkspace.Job(priority: -5), hint: false);
        var normal = await ws.SubmitOneAsync(TestWorkspace.Job(priority: 0), hint: false);
        var urgent = await ws.SubmitOneAsync(TestWorkspace.Job(priority: 10), hint: false);
        var urgentLater = await ws.SubmitOneAsync(TestWorkspace.Job(priority: 10), hint: false);
        var backdated = await ws.SubmitOneAsync(TestWorkspace.Job(priority: 0, runAt: DateTimeOffset.UtcNow.AddMinutes(-1)), hint: false);

        var order = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var hint = (await ws.HintAsync()).ShouldHaveSingleItem();
            order.Add(hint.JobId);
            // Cancelling the hinted job frees its slot for the next one.
            (await db.Jobs.JobCancelAsync(ws.Id, hint.JobId, null, Ct)).Applied.ShouldBeTrue();
        }

        order.ShouldBe([urgent.Id, urgentLater.Id, backdated.Id, normal.Id, low.Id]);
    }

    [Fact]
    public async Task A_fill_hints_no_more_than_its_limit()
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 5);
        await ws.SubmitAsync(5, hint: false);

        (await ws.HintAsync(limit: 2)).Count.ShouldBe(2);
        (await ws.HintAsync()).Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_raised_limit_adds_slots_at_once()
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 1);
        await ws.SubmitAsync(3);
        (await ws.HintAsync()).ShouldBeEmpty();

        await ws.SetMaxConcurrentJobsAsync(3);

        (await ws.HintAsync()).Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_lowered_limit_leaves_its_upper_slots_idle_and_their_hints_lose_the_claim()
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 3);
        var jobs = await ws.SubmitAsync(3);
        await ws.SetMaxConcurrentJobsAsync(1);

        var claim = await db.Jobs.JobClaimManyAsync(new JobClaimManyParams([.. jobs.Select(j => j.Id)], "worker-1", TestWorkspace.Lease), Ct);

        // Only the job in slot 1 may start; the others lose their hints (and slots) without being reported busy.
        claim.Claimed.ShouldHaveSingleItem();
        claim.Busy.ShouldBeEmpty();
        (await ws.HintAsync()).ShouldBeEmpty();
        (await db.Workspaces.WorkspaceUsageGetAsync(ws.Id, Ct)).ShouldBe(new WorkspaceUsage(Processing: 1, Pending: 2));

        // Raised again, the two waiting jobs are hinted into slots within the limit and can start.
        await ws.SetMaxConcurrentJobsAsync(3);
        var hints = await ws.HintAsync();
        hints.Count.ShouldBe(2);
        foreach (var hint in hints)
        {
            await ws.ClaimAsync(hint.JobId);
        }
    }

    [Fact]
    public async Task An_unhinted_job_gives_its_slot_back_and_is_hinted_again()
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 1);
        var pending = await ws.SubmitOneAsync();
        var waiting = await ws.SubmitOneAsync();

        await db.Jobs.JobMarkUnhintedAsync([pending.Id], Ct);

        // The freed slot goes to the best ready job again: the older one.
        (await ws.HintAsync()).ShouldHaveSingleItem().JobId.ShouldBe(pending.Id);
        var running = await ws.ClaimAsync(pending.Id);

        // A processing job is not pending: marking it changes nothing, its slot stays taken.
        await db.Jobs.JobMarkUnhintedAsync([running.Id], Ct);
        (await ws.HintAsync()).ShouldBeEmpty();
        (await ws.GetAsync(running.Id)).Status.ShouldBe(JobStatus.Processing);
        (await db.Jobs.JobFilterPendingAsync([running.Id, waiting.Id, Guid.CreateVersion7()], Ct)).ShouldBe([waiting.Id]);
    }
}
