using Jobs.Contracts.Jobs;

namespace Jobs.StoreTests.Engine;

/// <summary>
/// The fence (<see cref="JobRules.Fence"/>; docs/design.md, "Leases and fencing"): every write of an attempt names its
/// lease, owner and attempt both, and changes nothing once the job belongs to another attempt.
/// </summary>
public sealed class JobFenceTests(PostgresFixture postgres)
{
    private readonly TestDatabase db = postgres.Shared;

    public static TheoryData<string> Writes => ["progress", "complete", "fail", "retry later", "cancel", "hand back", "heartbeat", "fenced transaction"];

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task A_write_under_a_moved_lease_changes_nothing(string write)
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 1);
        var first = await ws.StartAsync("worker-1");
        var second = await ws.RestartAsync(first, "worker-1");
        var current = await ws.RestartAsync(second, "worker-2");
        await ws.SubmitOneAsync();

        JobLease[] stale =
        [
            first.Lease,                                  // an earlier attempt of the same worker
            second.Lease,                                 // the attempt just before, the same worker again
            current.Lease with { Owner = "worker-1" },    // the current attempt, another worker
        ];
        foreach (var lease in stale)
        {
            (await WriteAsync(write, lease, ws.Id)).ShouldBeFalse($"{write} with {lease}");
        }

        var after = await ws.GetAsync(current.Id);
        (after.Status, after.Attempt, after.LeaseOwner, after.Version).ShouldBe((JobStatus.Processing, 3, "worker-2", current.Version));
        (after.Progress, after.LeaseExpiresAt).ShouldBe((current.Progress, current.LeaseExpiresAt));
        (await WriteAsync(write, current.Lease, ws.Id)).ShouldBeTrue();
    }

    [Fact]
    public async Task A_job_that_ended_refuses_its_own_attempts_writes()
    {
        var ws = await db.NewWorkspaceAsync();
        var job = await ws.StartAsync();
        (await db.Jobs.JobCancelIfRunningAsync(job.Lease, Ct)).ShouldNotBeNull();

        foreach (var write in Writes)
        {
            (await WriteAsync(write, job.Lease, ws.Id)).ShouldBeFalse(write);
        }

        var after = await ws.GetAsync(job.Id);
        (after.Status, after.LeaseOwner).ShouldBe((JobStatus.Cancelled, null));
    }

    [Fact]
    public async Task A_fenced_transaction_of_another_workspace_finds_no_job()
    {
        var ws = await db.NewWorkspaceAsync();
        var other = await db.NewWorkspaceAsync();
        var job = await ws.StartAsync();

        (await WriteAsync("fenced transaction", job.Lease, other.Id)).ShouldBeFalse();
        (await WriteAsync("fenced transaction", job.Lease, ws.Id)).ShouldBeTrue();
    }

    /// <summary>Makes one fenced write of the attempt <paramref name="lease"/> names; true when it was applied.</summary>
    private async Task<bool> WriteAsync(string write, JobLease lease, Guid workspaceId)
    {
        switch (write)
        {
            case "progress":
                return await db.Jobs.JobSetProgressIfRunningAsync(AttemptWrites.Progress(lease, 40, "Working"), Ct) is not null;
            case "complete":
                return (await db.Jobs.JobWriteManyAsync(AttemptWrites.Complete(AttemptWrites.Completion(lease, workspaceId)), Ct)).Completed.Count == 1;
            case "fail":
                return await db.Jobs.JobFailIfRunningAsync(lease, "boom", retryAfter: null, Ct) is not null;
            case "retry later":
                return await db.Jobs.JobFailIfRunningAsync(lease, "boom", TimeSpan.FromMinutes(1), Ct) is not null;
            case "cancel":
                return await db.Jobs.JobCancelIfRunningAsync(lease, Ct) is not null;
            case "hand back":
                return await db.Jobs.JobHandBackIfRunningAsync(lease, Ct) is not null;
            case "heartbeat":
                return (await db.Jobs.JobHeartbeatManyAsync(lease.Owner, [lease], TimeSpan.FromMinutes(10), Ct)).Count == 1;
            case "fenced transaction":
                // A handler's own writes (a campaign, contacts, files) start by taking this lock.
                await using (var connection = await db.DataSource.OpenConnectionAsync(Ct))
                await using (var transaction = await connection.BeginTransactionAsync(Ct))
                {
                    return await JobRules.LockHeldJobAsync(connection, transaction, lease, workspaceId, Ct);
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(write), write, null);
        }
    }
}
