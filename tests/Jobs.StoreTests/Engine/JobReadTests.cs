using Jobs.Contracts.Jobs;

namespace Jobs.StoreTests.Engine;

/// <summary>
/// The job store's reads: <see cref="IJobStore.JobListAsync"/> (keyset pages, newest first), the timeline and the
/// stats, each scoped to one workspace (docs/design.md, "Tenancy").
/// </summary>
public sealed class JobReadTests(PostgresFixture postgres)
{
    private readonly TestDatabase db = postgres.Shared;

    [Fact]
    public async Task The_list_pages_newest_first_within_the_workspace_and_filters_by_status_and_type()
    {
        var ws = await db.NewWorkspaceAsync();
        var other = await db.NewWorkspaceAsync();
        await other.SubmitAsync(2);
        var jobs = new List<Job>();
        foreach (var type in new[] { "demo", "report", "demo", "demo", "report" })
        {
            jobs.Add(await ws.SubmitOneAsync(TestWorkspace.Job(type: type), hint: false));
        }

        await db.Jobs.JobCancelAsync(ws.Id, jobs[0].Id, null, Ct);

        var pages = new List<IReadOnlyList<Job>>();
        Guid? cursor = null;
        do
        {
            var page = await db.Jobs.JobListAsync(new JobListParams(ws.Id, null, null, 2, cursor), Ct);
            pages.Add(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        pages.Select(p => p.Count).ShouldBe([2, 2, 1]);
        pages.SelectMany(p => p).Select(j => j.Id).ShouldBe(jobs.Select(j => j.Id).OrderDescending());
        (await db.Jobs.JobListAsync(new JobListParams(ws.Id, null, "report", 10, null), Ct)).Items.Count.ShouldBe(2);
        (await ws.JobIdsAsync(JobStatus.Cancelled)).ShouldBe([jobs[0].Id]);
        (await db.Jobs.JobGetAsync(other.Id, jobs[1].Id, Ct)).ShouldBeNull();
        (await db.Jobs.JobEventListAsync(other.Id, jobs[1].Id, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Stats_count_only_the_workspaces_own_jobs()
    {
        var ws = await db.NewWorkspaceAsync();
        var other = await db.NewWorkspaceAsync();
        await other.StartAsync();
        var running = await ws.StartAsync(owner: "worker-a");
        await ws.SubmitOneAsync(TestWorkspace.Job(queue: "mail"));
        await ws.EndAsync(await ws.StartAsync(owner: "worker-a"), JobStatus.Completed);

        var stats = await db.Jobs.JobStatsGetAsync(ws.Id, Ct);

        stats.CountsByStatus.ShouldBe(new Dictionary<string, long>
        {
            [JobStatus.Pending] = 1, [JobStatus.Processing] = 1, [JobStatus.Completed] = 1, [JobStatus.Failed] = 0, [JobStatus.Cancelled] = 0,
        }, ignoreOrder: true);
        stats.PendingByQueue.ShouldBe(new Dictionary<string, long> { ["mail"] = 1 }, ignoreOrder: true);
        stats.RunningByWorker.ShouldBe(new Dictionary<string, long> { [running.LeaseOwner!] = 1 }, ignoreOrder: true);
        stats.Durations.Count.ShouldBe(1);
        stats.ThroughputPerMinute.Sum(p => p.Completed).ShouldBe(1);
    }
}
