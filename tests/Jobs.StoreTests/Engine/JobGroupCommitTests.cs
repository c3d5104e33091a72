using Jobs.Contracts.Jobs;

namespace Jobs.StoreTests.Engine;

/// <summary>
/// <see cref="IJobStore.JobWriteManyAsync"/>, the worker's group commit: many attempts' progress writes and
/// completions in one transaction, each fenced on its own lease, one outcome per attempt, and the freed slots
/// hinted in the same commit (docs/design.md, "Admission, limits and fairness").
/// </summary>
public sealed class JobGroupCommitTests(PostgresFixture postgres)
{
    private readonly TestDatabase db = postgres.Shared;

    [Fact]
    public async Task Each_row_is_fenced_on_its_own_lease()
    {
        var ws = await db.NewWorkspaceAsync();
        var progressing = await ws.StartAsync();
        var completing = await ws.StartAsync();
        var moved = await ws.StartAsync("worker-1");
        var stolen = await ws.StartAsync("worker-1");
        await ws.RestartAsync(moved, "worker-2");
        await ws.RestartAsync(stolen, "worker-2");

        var result = await db.Jobs.JobWriteManyAsync(new JobWriteManyParams(
            [AttemptWrites.Progress(progressing.Lease, 30), AttemptWrites.Progress(moved.Lease, 30)],
            [AttemptWrites.Completion(completing.Lease), AttemptWrites.Completion(stolen.Lease)],
            HintLimit: 0), Ct);

        result.Progressed.ShouldHaveSingleItem().Id.ShouldBe(progressing.Id);
        var completed = result.Completed.ShouldHaveSingleItem();
        (completed.Id, completed.Status, completed.Progress, completed.LeaseOwner).ShouldBe((completing.Id, JobStatus.Completed, (short)100, null));
        completed.Result.ShouldNotBeNull().GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await ws.GetAsync(moved.Id)).Progress.ShouldBe((short)0);
        (await ws.GetAsync(stolen.Id)).Status.ShouldBe(JobStatus.Processing);
        result.Hints.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_completion_is_written_once()
    {
        var ws = await db.NewWorkspaceAsync();
        var job = await ws.StartAsync();

        var first = await db.Jobs.JobWriteManyAsync(AttemptWrites.Complete(AttemptWrites.Completion(job.Lease)), Ct);
        var again = await db.Jobs.JobWriteManyAsync(AttemptWrites.Complete(AttemptWrites.Completion(job.Lease, result: """{"ok":false}""")), Ct);

        first.Completed.ShouldHaveSingleItem();
        again.Completed.ShouldBeEmpty();
        (await ws.GetAsync(job.Id)).Result.ShouldNotBeNull().GetProperty("ok").GetBoolean().ShouldBeTrue();
        (await ws.EventKindsAsync(job.Id)).Count(k => k == JobEventKind.Completed).ShouldBe(1);
    }

    [Fact]
    public async Task A_stage_taken_over_by_the_completion_comes_first_in_one_row_version()
    {
        var ws = await db.NewWorkspaceAsync();
        var job = await ws.StartAsync();

        var completed = (await db.Jobs.JobWriteManyAsync(
            AttemptWrites.Complete(AttemptWrites.Completion(job.Lease, stage: "Exporting")), Ct)).Completed.ShouldHaveSingleItem();

        (completed.Stage, completed.Version).ShouldBe(("Exporting", job.Version + 1));
        var events = await db.Jobs.JobEventListAsync(ws.Id, job.Id, Ct);
        events.Select(e => e.Kind).ShouldBe([JobEventKind.Created, JobEventKind.Started, JobEventKind.Stage, JobEventKind.Completed]);
        (events[2].Status, events[2].Stage, events[2].Message).ShouldBe((JobStatus.Processing, "Exporting", "finishing"));
        (events[3].Status, events[3].Stage).ShouldBe((JobStatus.Completed, "Exporting"));
    }

    [Fact]
    public async Task Completions_hint_the_slots_they_free_for_their_workspaces_only()
    {
        var a = await db.NewWorkspaceAsync(maxConcurrentJobs: 2);
        var b = await db.NewWorkspaceAsync(maxConcurrentJobs: 1);
        var runningA = new[] { await a.StartAsync(), await a.StartAsync() };
        var runningB = await b.StartAsync();
        var nextA = await a.SubmitAsync(3);
        var nextB = await b.SubmitOneAsync();

        var result = await db.Jobs.JobWriteManyAsync(AttemptWrites.Complete(
            AttemptWrites.Completion(runningA[0].Lease, a.Id),
            AttemptWrites.Completion(runningA[1].Lease, a.Id),
            AttemptWrites.Completion(runningB.Lease)), Ct);

        // Workspace b named no workspace with its completion: its slot is left to the next fill.
        result.Completed.Count.ShouldBe(3);
        result.Hints.Count.ShouldBe(2);
        result.Hints.ShouldAllBe(h => h.WorkspaceId == a.Id);
        result.Hints.Select(h => h.JobId).ShouldBeSubsetOf(nextA.Select(j => j.Id));
        (await b.HintAsync()).ShouldHaveSingleItem().JobId.ShouldBe(nextB.Id);
    }

    [Fact]
    public async Task An_empty_group_writes_nothing()
    {
        var result = await db.Jobs.JobWriteManyAsync(new JobWriteManyParams([], [], HintLimit: 10), Ct);

        (result.Progressed.Count, result.Completed.Count, result.Hints.Count).ShouldBe((0, 0, 0));
    }
}
