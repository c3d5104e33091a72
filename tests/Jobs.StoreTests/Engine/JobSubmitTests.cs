using Jobs.Contracts.Jobs;
using Jobs.Contracts.Workspaces;
using Jobs.Core.Identity;

namespace Jobs.StoreTests.Engine;

/// <summary>
/// <see cref="IJobStore.JobInsertManyAsync"/> and <see cref="IJobStore.JobInsertGroupsAsync"/>: insert and hint in one
/// commit (docs/design.md, "Delivery invariants", 2), hints bounded by the free slots and the call's hint limit.
/// </summary>
public sealed class JobSubmitTests(PostgresFixture postgres)
{
    private readonly TestDatabase db = postgres.Shared;

    [Fact]
    public async Task A_job_is_stored_pending_with_its_createdEventevent_and_a_hint()
    {
        var ws = await db.NewWorkspaceAsync();
        var key = (await db.Workspaces.ApiKeyFindCallerAsync(ws.ApiKey, Ct)).ShouldNotBeNull();
        var insert = ws.Insert(TestWorkspace.Job(priority: 7, maxAttempts: 4, queue: "reports", payload: """{"n":1}""")) with { ApiKeyId = key.ApiKeyId };

        var result = await db.Jobs.JobInsertManyAsync(insert, Ct);

        var created = result.Results.ShouldHaveSingleItem();
        (created.Created, created.SameRequest).ShouldBe((true, true));
        var job = created.Job;
        (job.WorkspaceId, job.UserId, job.Status, job.Queue, job.Priority).ShouldBe((ws.Id, ws.UserId, JobStatus.Pending, "reports", (short)7));
        (job.Attempt, job.MaxAttempts, job.LeaseOwner, job.CompletedAt).ShouldBe((0, 4, null, null));
        job.Payload.GetProperty("n").GetInt32().ShouldBe(1);
        job.RunAt.ShouldBe(DateTimeOffset.UtcNow, TimeSpan.FromSeconds(10));
        result.Hints.ShouldBe([new JobHint(job.Id, ws.Id, "reports")]);

        var createdEvent = (await db.Jobs.JobEventListAsync(ws.Id, job.Id, Ct)).ShouldHaveSingleItem();
        (createdEvent.Kind, createdEvent.Status, createdEvent.Attempt).ShouldBe((JobEventKind.Created, JobStatus.Pending, 0));
        var actor = createdEvent.Actor.ShouldNotBeNull();
        (actor.UserId, actor.ApiKeyId, actor.ApiKeyKind, actor.ApiKeyName).ShouldBe((ws.UserId, key.ApiKeyId, ApiKeyKinds.Key, "seeded"));
    }

    [Fact]
    public async Task A_batch_gets_no_more_hints_than_its_workspace_has_free_slots()
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 3);

        var first = await db.Jobs.JobInsertManyAsync(ws.Insert([.. Enumerable.Range(0, 5).Select(_ => TestWorkspace.Job())]), Ct);
        var second = await db.Jobs.JobInsertManyAsync(ws.Insert(TestWorkspace.Job(), TestWorkspace.Job()), Ct);

        first.Results.Count.ShouldBe(5);
        first.Results.ShouldAllBe(r => r.Created);
        first.Hints.Select(h => h.JobId).ShouldBeUnique();
        first.Hints.Count.ShouldBe(3);
        first.Hints.Select(h => h.JobId).ShouldBeSubsetOf(first.Results.Select(r => r.Job.Id));
        second.Hints.ShouldBeEmpty();
        (await ws.HintAsync()).ShouldBeEmpty();
        (await db.Workspaces.WorkspaceUsageGetAsync(ws.Id, Ct)).ShouldBe(new WorkspaceUsage(Processing: 0, Pending: 7));
    }

    [Fact]
    public async Task The_hint_limit_caps_one_submits_hints_and_zero_hints_none()
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 5);

        var unhinted = await db.Jobs.JobInsertManyAsync(ws.Insert(TestWorkspace.Job(), TestWorkspace.Job()) with { HintLimit = 0 }, Ct);
        var capped = await db.Jobs.JobInsertManyAsync(ws.Insert(TestWorkspace.Job(), TestWorkspace.Job(), TestWorkspace.Job()) with { HintLimit = 2 }, Ct);

        unhinted.Hints.ShouldBeEmpty();
        // A fill takes the workspace's best ready jobs, not necessarily this call's: the earlier two come first.
        capped.Hints.Select(h => h.JobId).ShouldBe(unhinted.Results.Select(r => r.Job.Id), ignoreOrder: true);
        (await ws.HintAsync()).Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_delayed_job_is_neither_hinted_nor_claimable_before_its_time()
    {
        var ws = await db.NewWorkspaceAsync();
        var runAt = DateTimeOffset.UtcNow.AddHours(1);

        var result = await db.Jobs.JobInsertManyAsync(ws.Insert(TestWorkspace.Job(runAt: runAt)), Ct);

        var job = result.Results.ShouldHaveSingleItem().Job;
        job.RunAt.ShouldBe(runAt, TimeSpan.FromMilliseconds(1));
        result.Hints.ShouldBeEmpty();
        (await ws.HintAsync()).ShouldBeEmpty();
        var claim = await db.Jobs.JobClaimManyAsync(new JobClaimManyParams([job.Id], "worker-1", TestWorkspace.Lease), Ct);
        (claim.Claimed.Count, claim.Busy.Count).ShouldBe((0, 0));
    }

    [Fact]
    public async Task Groups_of_several_callers_commit_together_each_with_its_own_jobs()
    {
        var a = await db.NewWorkspaceAsync(maxConcurrentJobs: 1);
        var b = await db.NewWorkspaceAsync(maxConcurrentJobs: 1);

        var (groups, hints) = await db.Jobs.JobInsertGroupsAsync(
            [a.Insert(TestWorkspace.Job(), TestWorkspace.Job()), b.Insert(TestWorkspace.Job())], Ct);

        groups.Count.ShouldBe(2);
        groups[0].Results.Count.ShouldBe(2);
        groups[0].Results.ShouldAllBe(r => r.Created && r.Job.WorkspaceId == a.Id);
        groups[1].Results.ShouldHaveSingleItem().Job.WorkspaceId.ShouldBe(b.Id);
        groups.ShouldAllBe(g => g.Hints.Count == 0);
        // One hint per workspace: each has one slot.
        hints.Select(h => h.WorkspaceId).ShouldBe([a.Id, b.Id], ignoreOrder: true);
    }

    [Fact]
    public async Task Groups_refuse_idempotency_keys()
    {
        var ws = await db.NewWorkspaceAsync();

        await Should.ThrowAsync<ArgumentException>(() => db.Jobs.JobInsertGroupsAsync([ws.Insert(TestWorkspace.Job(key: "k"))], Ct));

        (await ws.JobIdsAsync()).ShouldBeEmpty();
    }
}
