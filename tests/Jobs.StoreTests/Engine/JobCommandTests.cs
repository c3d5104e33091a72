using Jobs.Contracts.Jobs;

namespace Jobs.StoreTests.Engine;

/// <summary>
/// A user's cancel and retry (<see cref="IJobStore.JobCancelAsync"/>, <see cref="IJobStore.JobRetryAsync"/>) from
/// every status: applied where the lifecycle allows it, refused with the job otherwise, and "not found" for another
/// workspace's job (docs/design.md, "Job lifecycle" and "Tenancy").
/// </summary>
public sealed class JobCommandTests(PostgresFixture postgres)
{
    private readonly TestDatabase db = postgres.Shared;

    public static TheoryData<string> Statuses => [.. JobStatus.All];

    [Theory]
    [MemberData(nameof(Statuses))]
    public async Task Cancel_from_each_status(string status)
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 1);
        var job = await JobInAsync(ws, status);
        var waiting = await ws.SubmitOneAsync();
        var actor = new JobActor(ws.UserId, null);

        var result = await db.Jobs.JobCancelAsync(ws.Id, job.Id, actor, Ct);

        result.Job.ShouldNotBeNull();
        switch (status)
        {
            case JobStatus.Pending:
                (result.Applied, result.Job.Status).ShouldBe((true, JobStatus.Cancelled));
                result.Job.CompletedAt.ShouldNotBeNull();
                var cancelled = (await db.Jobs.JobEventListAsync(ws.Id, job.Id, Ct))[^1];
                (cancelled.Kind, cancelled.Message, cancelled.Actor?.UserId).ShouldBe((JobEventKind.Cancelled, "cancelled by user", ws.UserId));
                (await ws.HintAsync()).ShouldHaveSingleItem().JobId.ShouldBe(waiting.Id);
                break;
            case JobStatus.Processing:
                // The worker that runs it ends it; a second request changes nothing.
                (result.Applied, result.Job.Status, result.Job.LeaseOwner).ShouldBe((true, JobStatus.Processing, job.LeaseOwner));
                result.Job.CancelRequestedAt.ShouldNotBeNull();
                (await ws.EventKindsAsync(job.Id))[^1].ShouldBe(JobEventKind.CancelRequested);
                (await db.Jobs.JobCancelAsync(ws.Id, job.Id, actor, Ct)).Applied.ShouldBeFalse();
                (await ws.HintAsync()).ShouldBeEmpty();
                break;
            default:
                (result.Applied, result.Job.Status, result.Job.Version).ShouldBe((false, status, job.Version));
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Statuses))]
    public async Task Retry_from_each_status(string status)
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 1);
        var job = await JobInAsync(ws, status);

        var result = await db.Jobs.JobRetryAsync(ws.Id, job.Id, new JobActor(ws.UserId, null), Ct);

        result.Job.ShouldNotBeNull();
        if (status is JobStatus.Failed or JobStatus.Cancelled)
        {
            // attempt keeps counting (the fence); the budget grows by the job's attempts per run instead.
            var retried = result.Job;
            (result.Applied, retried.Status, retried.Attempt, retried.MaxAttempts).ShouldBe((true, JobStatus.Pending, job.Attempt, job.Attempt + 3));
            (retried.Error, retried.Result, retried.CompletedAt, retried.CancelRequestedAt, retried.Progress).ShouldBe((null, null, null, null, (short)0));
            (await ws.EventKindsAsync(job.Id))[^1].ShouldBe(JobEventKind.Retried);
            (await ws.HintAsync()).ShouldHaveSingleItem().JobId.ShouldBe(job.Id);
            (await ws.ClaimAsync(job.Id)).Attempt.ShouldBe(job.Attempt + 1);
        }
        else
        {
            (result.Applied, result.Job.Status, result.Job.Version).ShouldBe((false, status, job.Version));
        }
    }

    [Fact]
    public async Task Another_workspaces_job_is_not_found_and_unchanged()
    {
        var ws = await db.NewWorkspaceAsync();
        var other = await db.NewWorkspaceAsync();
        var pending = await ws.SubmitOneAsync();
        var failed = await JobInAsync(ws, JobStatus.Failed);

        (await db.Jobs.JobCancelAsync(other.Id, pending.Id, null, Ct)).ShouldBe(new JobCommandResult(null, false));
        (await db.Jobs.JobRetryAsync(other.Id, failed.Id, null, Ct)).ShouldBe(new JobCommandResult(null, false));
        (await db.Jobs.JobCancelAsync(ws.Id, Guid.CreateVersion7(), null, Ct)).ShouldBe(new JobCommandResult(null, false));

        (await ws.GetAsync(pending.Id)).Version.ShouldBe(pending.Version);
        (await ws.GetAsync(failed.Id)).Status.ShouldBe(JobStatus.Failed);
    }

    /// <summary>A job of <paramref name="ws"/> brought to <paramref name="status"/> the way the lifecycle gets it there.</summary>
    private async Task<Job> JobInAsync(TestWorkspace ws, string status)
    {
        if (status == JobStatus.Pending)
        {
            return await ws.SubmitOneAsync();
        }

        var running = await ws.StartAsync();
        return status == JobStatus.Processing ? running : await ws.EndAsync(running, status);
    }
}
