namespace Jobs.StoreTests.Engine;

/// <summary>
/// Idempotency keys (<see cref="JobInsertResult"/>): a replay returns the first job, a reuse with another request rolls
/// the whole call back, an expired key makes a new job, and a key belongs to its workspace.
/// </summary>
public sealed class JobIdempotencyTests(PostgresFixture postgres)
{
    private readonly TestDatabase db = postgres.Shared;

    [Fact]
    public async Task A_replay_returns_the_first_job_and_stores_nothing()
    {
        var ws = await db.NewWorkspaceAsync();
        var first = await db.Jobs.JobInsertManyAsync(ws.Insert(TestWorkspace.Job(key: "order-1", payload: """{"n":1}""")), Ct);

        var replay = await db.Jobs.JobInsertManyAsync(ws.Insert(TestWorkspace.Job(key: "order-1", payload: """{"n":1}""")), Ct);

        var job = first.Results.ShouldHaveSingleItem().Job;
        var result = replay.Results.ShouldHaveSingleItem();
        (result.Created, result.SameRequest, result.Job.Id).ShouldBe((false, true, job.Id));
        result.Job.IdempotencyKey.ShouldBe("order-1");
        replay.Hints.ShouldBeEmpty();
        (await ws.JobIdsAsync()).ShouldBe([job.Id]);
        (await db.Jobs.JobEventListAsync(ws.Id, job.Id, Ct)).Count.ShouldBe(1);
        (await db.Jobs.IdempotencyKeyUsedListAsync(ws.Id, ["order-1", "order-2"], Ct)).ShouldBe(["order-1"]);
    }

    [Theory]
    [InlineData("""{"n":2}""", 0)]
    [InlineData("""{"n":1}""", 5)]
    public async Task A_key_reused_with_another_request_rolls_back_the_whole_call(string payload, short priority)
    {
        var ws = await db.NewWorkspaceAsync();
        var first = (await db.Jobs.JobInsertManyAsync(ws.Insert(TestWorkspace.Job(key: "a", payload: """{"n":1}""")), Ct)).Results.Single().Job;

        var reuse = await db.Jobs.JobInsertManyAsync(
            ws.Insert(TestWorkspace.Job(key: "b"), TestWorkspace.Job(), TestWorkspace.Job(key: "a", payload: payload, priority: priority)), Ct);

        reuse.Results.ShouldAllBe(r => !r.Created);
        var conflict = reuse.Results[2];
        (conflict.SameRequest, conflict.Job.Id).ShouldBe((false, first.Id));
        reuse.Hints.ShouldBeEmpty();
        (await ws.JobIdsAsync()).ShouldBe([first.Id]);
        (await db.Jobs.IdempotencyKeyUsedListAsync(ws.Id, ["b"], Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_expired_key_makes_a_new_job()
    {
        var ws = await db.NewWorkspaceAsync();
        var first = await db.Jobs.JobInsertManyAsync(
            ws.Insert(TestWorkspace.Job(key: "nightly")) with { IdempotencyKeyLifetime = TimeSpan.FromMilliseconds(100) }, Ct);
        await Task.Delay(300, Ct);
        (await db.Jobs.IdempotencyKeyUsedListAsync(ws.Id, ["nightly"], Ct)).ShouldBeEmpty();

        var again = await db.Jobs.JobInsertManyAsync(ws.Insert(TestWorkspace.Job(key: "nightly")), Ct);

        var job = again.Results.ShouldHaveSingleItem();
        job.Created.ShouldBeTrue();
        job.Job.Id.ShouldNotBe(first.Results.Single().Job.Id);
        (await db.Jobs.IdempotencyKeyUsedListAsync(ws.Id, ["nightly"], Ct)).ShouldBe(["nightly"]);
        (await ws.JobIdsAsync()).Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_key_belongs_to_its_workspace()
    {
        var a = await db.NewWorkspaceAsync();
        var b = await db.NewWorkspaceAsync();

        var inA = await db.Jobs.JobInsertManyAsync(a.Insert(TestWorkspace.Job(key: "shared")), Ct);
        var inB = await db.Jobs.JobInsertManyAsync(b.Insert(TestWorkspace.Job(key: "shared", payload: """{"other":true}""")), Ct);

        inA.Results.Single().Created.ShouldBeTrue();
        var result = inB.Results.ShouldHaveSingleItem();
        (result.Created, result.Job.WorkspaceId).ShouldBe((true, b.Id));
    }

    [Fact]
    public async Task Racing_submits_of_one_key_create_one_job()
    {
        var ws = await db.NewWorkspaceAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            Task.Run(() => db.Jobs.JobInsertManyAsync(ws.Insert(TestWorkspace.Job(key: "once")), Ct))));

        var all = results.Select(r => r.Results.ShouldHaveSingleItem()).ToList();
        all.Count(r => r.Created).ShouldBe(1);
        all.ShouldAllBe(r => r.SameRequest);
        all.Select(r => r.Job.Id).Distinct().ShouldHaveSingleItem();
        (await ws.JobIdsAsync()).Count.ShouldBe(1);
    }
}
