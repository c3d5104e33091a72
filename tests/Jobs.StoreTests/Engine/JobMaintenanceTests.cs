using Jobs.Contracts.Jobs;

namespace Jobs.StoreTests.Engine;

/// <summary>
/// What the maintenance leader repairs (docs/design.md, "Delivery invariants", 6): expired leases, due scheduled jobs,
/// stale hints, every workspace's free slots, expired idempotency keys; each write fenced on the leader's term. These
/// statements span every workspace, so each test has a database of its own.
/// </summary>
public sealed class JobMaintenanceTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Expiring = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task An_expired_lease_is_rescued_once_and_the_job_keeps_its_slot()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var leader = await ElectAsync(db);
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 2);
        var expired = await ws.StartAsync("worker-1", Expiring);
        var healthy = await ws.StartAsync("worker-2");
        await ws.SubmitOneAsync();
        await Task.Delay(50, Ct);

        var rescues = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => db.Jobs.JobRescueExpiredAsync(leader, 100, Ct))));

        var rescued = rescues.SelectMany(r => r).ShouldHaveSingleItem();
        (rescued.Id, rescued.Status, rescued.Attempt, rescued.LeaseOwner).ShouldBe((expired.Id, JobStatus.Pending, 1, null));
        rescued.Error.ShouldBe("Lease expired: worker worker-1 stopped heartbeating during attempt 1");
        (await ws.EventKindsAsync(expired.Id))[^1].ShouldBe(JobEventKind.LeaseExpired);
        (await db.Jobs.JobRescueExpiredAsync(leader, 100, Ct)).ShouldBeEmpty();
        (await ws.GetAsync(healthy.Id)).LeaseOwner.ShouldBe("worker-2");
        // Hinted again at once in the slot it held: claimable, and no room for the waiting job.
        (await ws.HintAsync()).ShouldBeEmpty();
        (await ws.ClaimAsync(expired.Id, "worker-3")).Attempt.ShouldBe(2);
    }

    [Fact]
    public async Task A_rescue_ends_a_job_out_of_attempts_failed_and_one_with_a_cancel_request_cancelled()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var leader = await ElectAsync(db);
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 2);
        var lastAttempt = await ws.StartAsync(lease: Expiring, job: TestWorkspace.Job(maxAttempts: 1));
        var cancelling = await ws.StartAsync(lease: Expiring);
        await db.Jobs.JobCancelAsync(ws.Id, cancelling.Id, null, Ct);
        await ws.SubmitAsync(2);
        await Task.Delay(50, Ct);

        var rescued = await db.Jobs.JobRescueExpiredAsync(leader, 100, Ct);

        rescued.Select(j => (j.Id, j.Status)).ShouldBe([(lastAttempt.Id, JobStatus.Failed), (cancelling.Id, JobStatus.Cancelled)], ignoreOrder: true);
        rescued.ShouldAllBe(j => j.CompletedAt != null && j.LeaseOwner == null);
        (await ws.HintAsync()).Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_lease_renewed_by_a_heartbeat_is_not_rescued()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var leader = await ElectAsync(db);
        var ws = await db.NewWorkspaceAsync();
        var job = await ws.StartAsync(lease: Expiring);

        (await db.Jobs.JobHeartbeatManyAsync(job.LeaseOwner!, [job.Lease], TimeSpan.FromMinutes(5), Ct)).ShouldHaveSingleItem();
        await Task.Delay(50, Ct);

        (await db.Jobs.JobRescueExpiredAsync(leader, 100, Ct)).ShouldBeEmpty();
        (await ws.GetAsync(job.Id)).Status.ShouldBe(JobStatus.Processing);
    }

    [Fact]
    public async Task A_deposed_leaders_writes_change_nothing()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var deposed = (await db.Cluster.LeaderAttemptElectAsync("maintenance", "leader-1", TimeSpan.FromMilliseconds(100), Ct)).ShouldNotBeNull();
        var ws = await db.NewWorkspaceAsync();
        var expired = await ws.StartAsync(lease: Expiring);
        await ws.SubmitAsync(1, hint: false);
        await Task.Delay(200, Ct);
        var current = await ElectAsync(db, "leader-2");
        current.Term.ShouldBe(deposed.Term + 1);

        (await db.Jobs.JobRescueExpiredAsync(deposed, 100, Ct)).ShouldBeEmpty();
        (await db.Jobs.JobHintDueAsync(new JobHintDueParams(null, TimeSpan.Zero, 100, deposed), Ct)).ShouldBeEmpty();

        (await db.Jobs.JobRescueExpiredAsync(current, 100, Ct)).ShouldHaveSingleItem().Id.ShouldBe(expired.Id);
        (await db.Jobs.JobHintDueAsync(new JobHintDueParams(null, null, 100, current), Ct)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_stale_hint_is_hinted_again_in_the_slot_it_holds()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var leader = await ElectAsync(db);
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 1);
        var hinted = await ws.SubmitOneAsync();
        await ws.SubmitOneAsync();

        (await db.Jobs.JobHintDueAsync(new JobHintDueParams(null, TimeSpan.FromHours(1), 100, leader), Ct)).ShouldBeEmpty();
        await Task.Delay(50, Ct);
        var again = await db.Jobs.JobHintDueAsync(new JobHintDueParams(null, TimeSpan.FromMilliseconds(10), 100, leader), Ct);

        again.ShouldBe([new JobHint(hinted.Id, ws.Id, "default")]);
        (await ws.ClaimAsync(hinted.Id)).Attempt.ShouldBe(1);
    }

    [Fact]
    public async Task Scheduled_jobs_and_retries_are_hinted_once_due()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var leader = await ElectAsync(db);
        var ws = await db.NewWorkspaceAsync();
        // Long enough that a loaded machine still asks before they are due.
        var wait = TimeSpan.FromSeconds(1.5);
        var delayed = await ws.SubmitOneAsync(TestWorkspace.Job(runAt: DateTimeOffset.UtcNow + wait));
        var retrying = await ws.StartAsync();
        (await db.Jobs.JobFailIfRunningAsync(retrying.Lease, "flaky", wait, Ct)).ShouldNotBeNull();
        var bothDue = DateTimeOffset.UtcNow + wait;
        var due = new JobHintDueParams(null, null, 100, leader);

        (await db.Jobs.JobHintDueAsync(due, Ct)).ShouldBeEmpty();
        await Task.Delay(bothDue - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(100), Ct);

        (await db.Jobs.JobHintDueAsync(due, Ct)).Select(h => h.JobId).ShouldBe([delayed.Id, retrying.Id], ignoreOrder: true);
    }

    [Fact]
    public async Task A_backlog_takes_no_more_hints_than_its_limit_and_leaves_room_for_another_workspace()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var leader = await ElectAsync(db);
        var busy = await db.NewWorkspaceAsync(maxConcurrentJobs: 3);
        var quiet = await db.NewWorkspaceAsync(maxConcurrentJobs: 2);
        await busy.SubmitAsync(30, hint: false);
        var small = await quiet.SubmitOneAsync(hint: false);
        var due = new JobHintDueParams(null, null, 100, leader);

        var hints = await db.Jobs.JobHintDueAsync(due, Ct);

        hints.Count(h => h.WorkspaceId == busy.Id).ShouldBe(3);
        hints.Where(h => h.WorkspaceId == quiet.Id).ShouldHaveSingleItem().JobId.ShouldBe(small.Id);
        (await db.Jobs.JobHintDueAsync(due, Ct)).ShouldBeEmpty();

        // As the busy workspace's jobs end, its next ones take their slots: never more than its limit at a time.
        foreach (var hint in hints.Where(h => h.WorkspaceId == busy.Id))
        {
            await busy.EndAsync(await busy.ClaimAsync(hint.JobId), JobStatus.Completed);
        }

        var next = await db.Jobs.JobHintDueAsync(due, Ct);
        next.Count.ShouldBe(3);
        next.ShouldAllBe(h => h.WorkspaceId == busy.Id);
        (await db.Jobs.JobHintDueAsync(due with { Limit = 1 }, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Expired_idempotency_keys_are_deleted_in_batches_and_live_ones_kept()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var ws = await db.NewWorkspaceAsync();
        var shortLived = ws.Insert(TestWorkspace.Job(key: "a"), TestWorkspace.Job(key: "b"), TestWorkspace.Job(key: "c"))
            with { IdempotencyKeyLifetime = TimeSpan.FromMilliseconds(50) };
        await db.Jobs.JobInsertManyAsync(shortLived, Ct);
        await db.Jobs.JobInsertManyAsync(ws.Insert(TestWorkspace.Job(key: "live")), Ct);
        await Task.Delay(200, Ct);

        (await db.Jobs.IdempotencyKeyDeleteExpiredAsync(2, Ct)).ShouldBe(2);
        (await db.Jobs.IdempotencyKeyDeleteExpiredAsync(2, Ct)).ShouldBe(1);
        (await db.Jobs.IdempotencyKeyDeleteExpiredAsync(2, Ct)).ShouldBe(0);
        (await db.Jobs.IdempotencyKeyUsedListAsync(ws.Id, ["a", "b", "c", "live"], Ct)).ShouldBe(["live"]);
        (await ws.JobIdsAsync()).Count.ShouldBe(4);
    }

    private static async Task<LeaderTerm> ElectAsync(TestDatabase db, string leaderId = "leader-1") =>
        (await db.Cluster.LeaderAttemptElectAsync("maintenance", leaderId, TimeSpan.FromMinutes(1), Ct)).ShouldNotBeNull();
}
