using Jobs.Contracts.Jobs;

namespace Jobs.StoreTests.Engine;

/// <summary>
/// <see cref="IJobStore.JobDeleteEndedAsync"/>: ended jobs go once older than their status's retention, with their
/// timeline; a zero retention keeps that status forever, and a job retried meanwhile is never deleted. Retention spans
/// every workspace, so each test has a database of its own.
/// </summary>
public sealed class JobRetentionTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Long = TimeSpan.FromHours(1);

    [Fact]
    public async Task Ended_jobs_go_once_older_than_their_statuses_retention()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var ws = await db.NewWorkspaceAsync();
        var completed = await ws.EndAsync(await ws.StartAsync(), JobStatus.Completed);
        var cancelled = await ws.EndAsync(await ws.StartAsync(), JobStatus.Cancelled);
        var failed = await ws.EndAsync(await ws.StartAsync(), JobStatus.Failed);
        var running = await ws.StartAsync();
        var pending = await ws.SubmitOneAsync();
        await Task.Delay(300, Ct);

        (await db.Jobs.JobDeleteEndedAsync(new JobRetention(Completed: Short, Failed: Long), 100, Ct)).ShouldBe(2);

        (await ws.JobIdsAsync()).ShouldBe([failed.Id, running.Id, pending.Id], ignoreOrder: true);
        (await db.Jobs.JobEventListAsync(ws.Id, completed.Id, Ct)).ShouldBeEmpty();
        (await db.Jobs.JobGetAsync(ws.Id, cancelled.Id, Ct)).ShouldBeNull();
        (await db.Jobs.JobDeleteEndedAsync(new JobRetention(Completed: Short, Failed: Short), 100, Ct)).ShouldBe(1);
        (await ws.JobIdsAsync()).ShouldBe([running.Id, pending.Id], ignoreOrder: true);
    }

    [Fact]
    public async Task A_zero_retention_keeps_its_status_forever()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var ws = await db.NewWorkspaceAsync();
        var completed = await ws.EndAsync(await ws.StartAsync(), JobStatus.Completed);
        await ws.EndAsync(await ws.StartAsync(), JobStatus.Failed);
        await Task.Delay(300, Ct);

        (await db.Jobs.JobDeleteEndedAsync(new JobRetention(TimeSpan.Zero, TimeSpan.Zero), 100, Ct)).ShouldBe(0);
        (await db.Jobs.JobDeleteEndedAsync(new JobRetention(Completed: TimeSpan.Zero, Failed: Short), 100, Ct)).ShouldBe(1);

        (await ws.JobIdsAsync()).ShouldBe([completed.Id]);
    }

    [Fact]
    public async Task Deletes_at_most_the_limit_and_never_a_job_retried_meanwhile()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var ws = await db.NewWorkspaceAsync();
        for (var i = 0; i < 3; i++)
        {
            await ws.EndAsync(await ws.StartAsync(), JobStatus.Completed);
        }

        var retried = await ws.EndAsync(await ws.StartAsync(), JobStatus.Failed);
        await Task.Delay(300, Ct);
        (await db.Jobs.JobRetryAsync(ws.Id, retried.Id, null, Ct)).Applied.ShouldBeTrue();
        var retention = new JobRetention(Short, Short);

        (await db.Jobs.JobDeleteEndedAsync(retention, 2, Ct)).ShouldBe(2);
        (await db.Jobs.JobDeleteEndedAsync(retention, 2, Ct)).ShouldBe(1);
        (await db.Jobs.JobDeleteEndedAsync(retention, 2, Ct)).ShouldBe(0);

        (await ws.JobIdsAsync()).ShouldBe([retried.Id]);
    }
}
