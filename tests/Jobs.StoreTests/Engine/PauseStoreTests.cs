using Jobs.Contracts.Jobs;
using Jobs.Core.Engine.Pauses;
using Jobs.Core.Identity;

namespace Jobs.StoreTests.Engine;

/// <summary>
/// Paused queues and job types (docs/design.md, "Pausing"): their pending jobs are passed over by every fill and hold
/// no slot, other types, queues and workspaces are not held back, a resume's fill hints them, and only real changes are
/// audited.
/// </summary>
public sealed class PauseStoreTests(PostgresFixture postgres)
{
    private readonly TestDatabase db = postgres.Shared;

    [Fact]
    public async Task A_paused_type_is_not_hinted_while_other_types_and_workspaces_are_and_a_resume_hints_it()
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 5);
        var other = await db.NewWorkspaceAsync(maxConcurrentJobs: 5);
        await db.Pauses.PauseSetAsync(ws.Caller, PauseKind.Type, "export", Ct);

        var paused = await ws.SubmitAsync([TestWorkspace.Job(type: "export", priority: 10), TestWorkspace.Job(type: "export", priority: 10)]);
        var runs = await ws.SubmitOneAsync(TestWorkspace.Job(type: "demo"));
        var elsewhere = await other.SubmitOneAsync(TestWorkspace.Job(type: "export"));

        // The submit's fill passed the higher-priority paused jobs over: they hold no slot, the demo job took one.
        paused.ShouldAllBe(j => j.Status == JobStatus.Pending);
        (await ws.ClaimAsync(runs.Id)).Type.ShouldBe("demo");
        (await ws.HintAsync()).ShouldBeEmpty();
        (await other.ClaimAsync(elsewhere.Id)).Type.ShouldBe("export");

        (await db.Pauses.PauseClearAsync(ws.Caller, PauseKind.Type, "export", Ct)).ShouldBeTrue();

        (await ws.HintAsync()).Select(h => h.JobId).ShouldBe([.. paused.Select(j => j.Id)], ignoreOrder: true);
    }

    [Fact]
    public async Task Paused_jobs_are_marked_out_of_the_ready_index_and_a_resume_unmarks_every_one_the_other_pauses_do_not_hold()
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 1);
        await ws.StartAsync();
        var before = await ws.SubmitAsync([TestWorkspace.Job(type: "export"), TestWorkspace.Job(type: "export", queue: "slow")], hint: false);
        var demo = await ws.SubmitOneAsync(TestWorkspace.Job(type: "demo"), hint: false);

        await db.Pauses.PauseSetAsync(ws.Caller, PauseKind.Type, "export", Ct);
        await db.Pauses.PauseSetAsync(ws.Caller, PauseKind.Queue, "slow", Ct);
        var after = await ws.SubmitOneAsync(TestWorkspace.Job(type: "export"), hint: false);
        var onSlow = await ws.SubmitOneAsync(TestWorkspace.Job(type: "demo", queue: "slow"), hint: false);

        // Marked at the pause, and at the submit into it; the demo job on another queue is not.
        (await MarkedAsync(ws)).ShouldBe([before[0].Id, before[1].Id, after.Id, onSlow.Id], ignoreOrder: true);
        // One marked job is cancelled during the pause: it must not come back marked when it is retried after it.
        (await db.Jobs.JobCancelAsync(ws.Id, after.Id, null, Ct)).Applied.ShouldBeTrue();

        await db.Pauses.PauseClearAsync(ws.Caller, PauseKind.Type, "export", Ct);

        // Only what the queue's pause still holds stays marked.
        (await MarkedAsync(ws)).ShouldBe([before[1].Id, onSlow.Id], ignoreOrder: true);
        (await db.Jobs.JobRetryAsync(ws.Id, after.Id, null, Ct)).Applied.ShouldBeTrue();
        (await MarkedAsync(ws)).ShouldNotContain(after.Id);
        (await ws.GetAsync(demo.Id)).Status.ShouldBe(JobStatus.Pending);
    }

    private async Task<IReadOnlyList<Guid>> MarkedAsync(TestWorkspace ws)
    {
        await using var command = db.DataSource.CreateCommand("SELECT id FROM jobs WHERE workspace_id = @w AND paused");
        command.Parameters.AddWithValue("w", ws.Id);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(Ct))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    [Fact]
    public async Task A_paused_queue_holds_back_every_type_on_it_and_no_other_queue()
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 5);
        await db.Pauses.PauseSetAsync(ws.Caller, PauseKind.Queue, "slow", Ct);

        await ws.SubmitAsync([TestWorkspace.Job(queue: "slow", type: "demo"), TestWorkspace.Job(queue: "slow", type: "export")], hint: false);
        var fast = await ws.SubmitOneAsync(TestWorkspace.Job(queue: "default"), hint: false);

        (await ws.HintAsync()).ShouldHaveSingleItem().JobId.ShouldBe(fast.Id);

        await db.Pauses.PauseClearAsync(ws.Caller, PauseKind.Queue, "slow", Ct);
        (await ws.HintAsync()).Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_job_hinted_before_the_pause_may_still_start_and_a_running_one_is_not_touched()
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 2);
        var running = await ws.StartAsync();
        var hinted = await ws.SubmitOneAsync();

        await db.Pauses.PauseSetAsync(ws.Caller, PauseKind.Type, "demo", Ct);

        (await ws.ClaimAsync(hinted.Id)).Status.ShouldBe(JobStatus.Processing);
        (await ws.EndAsync(running, JobStatus.Completed)).Status.ShouldBe(JobStatus.Completed);
    }

    [Fact]
    public async Task Maintenance_passes_over_a_workspace_whose_only_ready_jobs_are_paused()
    {
        await using var own = await postgres.CreateDatabaseAsync();
        var leader = (await own.Cluster.LeaderAttemptElectAsync("maintenance", "leader-1", TimeSpan.FromMinutes(1), Ct)).ShouldNotBeNull();
        var held = await own.NewWorkspaceAsync();
        var ready = await own.NewWorkspaceAsync();
        await own.Pauses.PauseSetAsync(held.Caller, PauseKind.Type, "demo", Ct);
        await held.SubmitAsync(3, hint: false);
        var job = await ready.SubmitOneAsync(hint: false);

        // One workspace per call: were the held one listed (its id is the lower), the ready one would wait for ever.
        var hints = await own.Jobs.JobHintDueAsync(new JobHintDueParams(null, null, 1, leader), Ct);

        hints.ShouldHaveSingleItem().JobId.ShouldBe(job.Id);
        (await own.Jobs.JobHintDueAsync(new JobHintDueParams(null, null, 100, leader), Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Pausing_twice_keeps_the_first_pause_and_only_changes_are_audited()
    {
        var ws = await db.NewWorkspaceAsync();

        var first = await db.Pauses.PauseSetAsync(ws.Caller, PauseKind.Queue, "default", Ct);
        var again = await db.Pauses.PauseSetAsync(ws.Caller, PauseKind.Queue, "default", Ct);
        (await db.Pauses.PauseClearAsync(ws.Caller, PauseKind.Queue, "default", Ct)).ShouldBeTrue();
        (await db.Pauses.PauseClearAsync(ws.Caller, PauseKind.Queue, "default", Ct)).ShouldBeFalse();

        again.ShouldBe(first);
        (first.PausedBy, first.PausedByEmail).ShouldBe((ws.UserId, $"{ws.UserId:N}@example.com"));
        (await db.Workspaces.AuditEventListAsync(ws.Id, 10, null, Ct)).Select(e => e.Action)
            .ShouldBe([AuditActions.QueueResumed, AuditActions.QueuePaused]);
    }

    [Fact]
    public async Task The_list_is_per_workspace_and_tells_queues_from_types()
    {
        var ws = await db.NewWorkspaceAsync();
        var other = await db.NewWorkspaceAsync();
        await db.Pauses.PauseSetAsync(ws.Caller, PauseKind.Type, "export", Ct);
        await db.Pauses.PauseSetAsync(ws.Caller, PauseKind.Queue, "slow", Ct);
        await db.Pauses.PauseSetAsync(other.Caller, PauseKind.Type, "demo", Ct);

        var pauses = await db.Pauses.PauseListAsync(ws.Id, Ct);

        pauses.Queues.Select(p => p.Name).ShouldBe(["slow"]);
        pauses.Types.Select(p => p.Name).ShouldBe(["export"]);
        pauses.WaitingReason("export", "default").ShouldBe(JobWaitingReason.TypePaused);
        pauses.WaitingReason("export", "slow").ShouldBe(JobWaitingReason.QueuePaused);
        pauses.WaitingReason("demo", "default").ShouldBeNull();
    }
}
