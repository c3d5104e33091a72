using Jobs.Contracts.Jobs;
using Npgsql;

namespace Jobs.StoreTests.Engine;

/// <summary>
/// <see cref="IJobStore.JobClaimManyAsync"/> and <see cref="IJobStore.JobHeartbeatManyAsync"/>: one conditional
/// statement decides who runs a job (docs/design.md, "Delivery invariants", 3), and the heartbeat keeps only the leases
/// still held (docs/design.md, "Leases and fencing").
/// </summary>
public sealed class JobClaimTests(PostgresFixture postgres)
{
    private readonly TestDatabase db = postgres.Shared;

    [Fact]
    public async Task A_claim_takes_the_lease_and_counts_the_attempt()
    {
        var ws = await db.NewWorkspaceAsync();
        var submitted = await ws.SubmitOneAsync();

        var job = await ws.ClaimAsync(submitted.Id, "worker-1", TimeSpan.FromSeconds(30));

        (job.Status, job.Attempt, job.LeaseOwner).ShouldBe((JobStatus.Processing, 1, "worker-1"));
        job.LeaseExpiresAt.ShouldNotBeNull().ShouldBe(DateTimeOffset.UtcNow.AddSeconds(30), TimeSpan.FromSeconds(10));
        job.StartedAt.ShouldNotBeNull();
        job.Version.ShouldBeGreaterThan(submitted.Version);
        var started = (await db.Jobs.JobEventListAsync(ws.Id, job.Id, Ct))[^1];
        (started.Kind, started.Status, started.Attempt).ShouldBe((JobEventKind.Started, JobStatus.Processing, 1));
    }

    [Fact]
    public async Task Racing_claimers_start_a_job_once()
    {
        var ws = await db.NewWorkspaceAsync();
        var job = await ws.SubmitOneAsync();

        var claims = await Task.WhenAll(Enumerable.Range(1, 4).Select(i => Task.Run(() =>
            db.Jobs.JobClaimManyAsync(new JobClaimManyParams([job.Id, job.Id], $"worker-{i}", TestWorkspace.Lease), Ct))));

        claims.SelectMany(c => c.Claimed).ShouldHaveSingleItem().Attempt.ShouldBe(1);
        var late = await db.Jobs.JobClaimManyAsync(new JobClaimManyParams([job.Id], "worker-9", TestWorkspace.Lease), Ct);
        (late.Claimed.Count, late.Busy.Count).ShouldBe((0, 0));
        (await ws.EventKindsAsync(job.Id)).Count(k => k == JobEventKind.Started).ShouldBe(1);
    }

    [Fact]
    public async Task Only_hinted_due_pending_jobs_are_claimed_and_the_others_are_dropped_not_busy()
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 3);
        var hinted = await ws.SubmitOneAsync();
        var cancelled = await ws.SubmitOneAsync();
        await db.Jobs.JobCancelAsync(ws.Id, cancelled.Id, null, Ct);
        var running = await ws.StartAsync();
        var ready = await ws.SubmitOneAsync(hint: false);
        var delayed = await ws.SubmitOneAsync(TestWorkspace.Job(runAt: DateTimeOffset.UtcNow.AddHours(1)));
        var elsewhere = await (await db.NewWorkspaceAsync()).SubmitOneAsync(hint: false);

        var claim = await db.Jobs.JobClaimManyAsync(new JobClaimManyParams(
            [hinted.Id, cancelled.Id, running.Id, ready.Id, delayed.Id, elsewhere.Id, Guid.CreateVersion7()], "worker-2", TestWorkspace.Lease), Ct);

        claim.Claimed.ShouldHaveSingleItem().Id.ShouldBe(hinted.Id);
        claim.Busy.ShouldBeEmpty();
        (await ws.GetAsync(running.Id)).LeaseOwner.ShouldBe(running.LeaseOwner);
        (await ws.GetAsync(cancelled.Id)).Status.ShouldBe(JobStatus.Cancelled);
    }

    [Fact]
    public async Task A_hinted_job_another_transaction_holds_is_reported_busy_and_claimed_once_free()
    {
        var ws = await db.NewWorkspaceAsync();
        var job = await ws.SubmitOneAsync();

        await using (var connection = await db.DataSource.OpenConnectionAsync(Ct))
        await using (var transaction = await connection.BeginTransactionAsync(Ct))
        {
            // As a fill committing its hint holds the row for a moment.
            await using var hold = new NpgsqlCommand("SELECT 1 FROM jobs WHERE id = @id FOR UPDATE", connection, transaction);
            hold.Parameters.AddWithValue("id", job.Id);
            await hold.ExecuteNonQueryAsync(Ct);

            var claim = await db.Jobs.JobClaimManyAsync(new JobClaimManyParams([job.Id], "worker-1", TestWorkspace.Lease), Ct);

            claim.Claimed.ShouldBeEmpty();
            claim.Busy.ShouldBe([job.Id]);
        }

        (await ws.ClaimAsync(job.Id)).Attempt.ShouldBe(1);
    }

    [Fact]
    public async Task A_claim_after_a_hand_back_is_the_next_attempt_and_keeps_the_first_start()
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 1);
        var first = await ws.StartAsync("worker-1");
        await ws.SubmitOneAsync();

        var second = await ws.RestartAsync(first, "worker-2");

        (second.Attempt, second.LeaseOwner, second.StartedAt).ShouldBe((2, "worker-2", first.StartedAt));
        (await ws.EventKindsAsync(first.Id)).ShouldBe(
            [JobEventKind.Created, JobEventKind.Started, JobEventKind.HandedBack, JobEventKind.Started]);
    }

    [Fact]
    public async Task A_heartbeat_extends_only_the_leases_still_held_and_reports_cancel_requests()
    {
        var ws = await db.NewWorkspaceAsync();
        var kept = await ws.StartAsync("worker-1", TimeSpan.FromSeconds(30));
        var cancelling = await ws.StartAsync("worker-1", TimeSpan.FromSeconds(30));
        var moved = await ws.StartAsync("worker-1", TimeSpan.FromSeconds(30));
        var other = await ws.StartAsync("worker-2", TimeSpan.FromSeconds(30));
        await ws.RestartAsync(moved, "worker-3");
        await db.Jobs.JobCancelAsync(ws.Id, cancelling.Id, null, Ct);

        var beats = await db.Jobs.JobHeartbeatManyAsync(
            "worker-1", [kept.Lease, cancelling.Lease, moved.Lease, other.Lease with { Owner = "worker-1" }], TimeSpan.FromMinutes(10), Ct);

        beats.ShouldBe([new JobHeartbeatResult(kept.Id, false), new JobHeartbeatResult(cancelling.Id, true)], ignoreOrder: true);
        (await ws.GetAsync(kept.Id)).LeaseExpiresAt.ShouldNotBeNull().ShouldBeGreaterThan(kept.LeaseExpiresAt!.Value.AddMinutes(5));
        (await ws.GetAsync(other.Id)).LeaseExpiresAt.ShouldBe(other.LeaseExpiresAt);
        (await db.Jobs.JobHeartbeatManyAsync("worker-1", [], TimeSpan.FromMinutes(1), Ct)).ShouldBeEmpty();
    }
}
