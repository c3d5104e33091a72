using Jobs.Contracts.Jobs;
using Jobs.Contracts.Webhooks;
using Jobs.Core.Engine.Dependencies;
using Jobs.Core.Webhooks;

namespace Jobs.StoreTests.Engine;

/// <summary>
/// Job dependencies (docs/design.md, "Dependencies"): a job waiting for others stays pending and is never hinted; the
/// trigger on its dependencies' final transitions makes it due, or cancels it, in the same transaction as the outcome.
/// </summary>
public sealed class JobDependencyTests(PostgresFixture postgres)
{
    private readonly TestDatabase db = postgres.Shared;

    private static JobInsertParams After(params Guid[] ids) => TestWorkspace.Job() with { DependsOn = ids };

    /// <summary>Claims and completes the job in a group commit that fills the slots it frees, as a worker's does.</summary>
    private static async Task CompleteAsync(TestWorkspace ws, Guid jobId, TestDatabase db)
    {
        var running = await ws.ClaimAsync(jobId);
        (await db.Jobs.JobWriteManyAsync(AttemptWrites.Complete(AttemptWrites.Completion(running.Lease, ws.Id)), Ct)).Completed.ShouldHaveSingleItem();
    }

    /// <summary>Whether the job holds a hint (a slot), which the job's view does not show.</summary>
    private async Task<bool> HintedAsync(Guid jobId)
    {
        await using var command = db.DataSource.CreateCommand("SELECT hinted_at IS NOT NULL FROM jobs WHERE id = @id");
        command.Parameters.AddWithValue("id", jobId);
        return (bool)(await command.ExecuteScalarAsync(Ct))!;
    }

    [Fact]
    public async Task A_chain_runs_in_order_and_a_failure_in_the_middle_cancels_the_rest()
    {
        var ws = await db.NewWorkspaceAsync();
        var a = await ws.SubmitOneAsync();
        var b = await ws.SubmitOneAsync(After(a.Id));
        var c = await ws.SubmitOneAsync(After(b.Id));

        (b.Status, c.Status).ShouldBe((JobStatus.Pending, JobStatus.Pending));
        (await db.Dependencies.JobDependencyGetAsync(ws.Id, b.Id, Ct)).ShouldNotBeNull().WaitingFor.ShouldBe(1);
        (await ws.HintAsync()).ShouldBeEmpty();
        (await db.Jobs.JobClaimManyAsync(new JobClaimManyParams([b.Id, c.Id], "worker-1", TestWorkspace.Lease), Ct)).Claimed.ShouldBeEmpty();

        await CompleteAsync(ws, a.Id, db);

        // The completion's own fill hinted B; C still waits.
        (await HintedAsync(b.Id)).ShouldBeTrue();
        (await ws.EventKindsAsync(b.Id))[^1].ShouldBe(JobEventKind.DependenciesMet);
        (await db.Dependencies.JobDependencyGetAsync(ws.Id, c.Id, Ct)).ShouldNotBeNull().WaitingFor.ShouldBe(1);

        await ws.EndAsync(await ws.ClaimAsync(b.Id), JobStatus.Failed);

        var cancelled = (await db.Jobs.JobGetAsync(ws.Id, c.Id, Ct)).ShouldNotBeNull();
        (cancelled.Status, cancelled.Error).ShouldBe((JobStatus.Cancelled, $"dependency {b.Id} failed"));
        var last = (await db.Jobs.JobEventListAsync(ws.Id, c.Id, Ct))[^1];
        (last.Kind, last.Message).ShouldBe((JobEventKind.Cancelled, $"dependency {b.Id} failed"));
    }

    [Fact]
    public async Task The_dependents_the_trigger_moves_are_noted_for_publishing_as_they_are_now_until_the_notes_are_deleted()
    {
        // The notes span every workspace: a database of this test's own.
        await using var own = await postgres.CreateDatabaseAsync();
        var ws = await own.NewWorkspaceAsync();
        var a = await ws.SubmitOneAsync();
        var b = await ws.SubmitOneAsync(After(a.Id));
        var c = await ws.SubmitOneAsync(After(b.Id));
        var d = await ws.SubmitOneAsync(After(a.Id, c.Id));
        (await own.Jobs.JobUpdateOutboxReadAsync(10, Ct)).Notes.ShouldBeEmpty();

        await CompleteAsync(ws, a.Id, own);

        // B is due now; D still waits for C, so its row changed nothing a reader sees and it is not noted.
        var released = await own.Jobs.JobUpdateOutboxReadAsync(10, Ct);
        released.Jobs.Select(j => (j.Id, j.Status)).ShouldBe([(b.Id, JobStatus.Pending)]);
        released.Jobs[0].Version.ShouldBe((await own.Jobs.JobGetAsync(ws.Id, b.Id, Ct))!.Version);
        await own.Jobs.JobUpdateOutboxDeleteAsync(released.Notes, Ct);
        (await own.Jobs.JobUpdateOutboxReadAsync(10, Ct)).Notes.ShouldBeEmpty();

        await ws.EndAsync(await ws.ClaimAsync(b.Id), JobStatus.Failed);

        // The failure cancels C, and C's cancellation cascades to D: both noted, read once each as they are now.
        var cancelled = await own.Jobs.JobUpdateOutboxReadAsync(10, Ct);
        cancelled.Jobs.Select(j => j.Id).ShouldBe([c.Id, d.Id], ignoreOrder: true);
        cancelled.Jobs.ShouldAllBe(j => j.Status == JobStatus.Cancelled);
        cancelled.Jobs.Single(j => j.Id == d.Id).Error.ShouldBe($"dependency {c.Id} was cancelled");

        // A noted job deleted before it was published is skipped, and its note still deleted.
        await using (var delete = own.DataSource.CreateCommand("DELETE FROM jobs WHERE id = @id"))
        {
            delete.Parameters.AddWithValue("id", d.Id);
            await delete.ExecuteNonQueryAsync(Ct);
        }

        var rest = await own.Jobs.JobUpdateOutboxReadAsync(1, Ct);
        rest.Jobs.Select(j => j.Id).ShouldBe([c.Id]);
        await own.Jobs.JobUpdateOutboxDeleteAsync(rest.Notes, Ct);
        var gone = await own.Jobs.JobUpdateOutboxReadAsync(10, Ct);
        (gone.Notes.Count, gone.Jobs.Count).ShouldBe((1, 0));
        await own.Jobs.JobUpdateOutboxDeleteAsync(gone.Notes, Ct);
        (await own.Jobs.JobUpdateOutboxReadAsync(10, Ct)).Notes.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_cancellation_cascades_down_a_chain()
    {
        var ws = await db.NewWorkspaceAsync();
        var a = await ws.SubmitOneAsync();
        var b = await ws.SubmitOneAsync(After(a.Id));
        var c = await ws.SubmitOneAsync(After(b.Id));

        (await db.Jobs.JobCancelAsync(ws.Id, a.Id, null, Ct)).Applied.ShouldBeTrue();

        (await db.Jobs.JobGetAsync(ws.Id, b.Id, Ct)).ShouldNotBeNull().Error.ShouldBe($"dependency {a.Id} was cancelled");
        (await db.Jobs.JobGetAsync(ws.Id, c.Id, Ct)).ShouldNotBeNull().Error.ShouldBe($"dependency {b.Id} was cancelled");
    }

    [Fact]
    public async Task A_fan_in_of_ten_becomes_due_only_when_the_last_completes()
    {
        var ws = await db.NewWorkspaceAsync(maxConcurrentJobs: 20);
        var tags = await ws.SubmitAsync(10);
        var export = await ws.SubmitOneAsync(After([.. tags.Select(t => t.Id)]));

        for (var i = 0; i < tags.Count; i++)
        {
            (await db.Dependencies.JobDependencyGetAsync(ws.Id, export.Id, Ct)).ShouldNotBeNull().WaitingFor.ShouldBe(10 - i);
            (await HintedAsync(export.Id)).ShouldBeFalse();
            await CompleteAsync(ws, tags[i].Id, db);
        }

        (await HintedAsync(export.Id)).ShouldBeTrue();
        (await ws.ClaimAsync(export.Id)).Status.ShouldBe(JobStatus.Processing);
        var dependents = (await db.Dependencies.JobDependentListAsync(ws.Id, tags[0].Id, 10, null, Ct)).ShouldNotBeNull();
        dependents.Items.ShouldHaveSingleItem().Id.ShouldBe(export.Id);
    }

    [Fact]
    public async Task A_dependency_already_finished_counts_at_submit()
    {
        var ws = await db.NewWorkspaceAsync();
        var done = await ws.EndAsync(await ws.StartAsync(), JobStatus.Completed);
        var failed = await ws.EndAsync(await ws.StartAsync(), JobStatus.Failed);

        var runs = await ws.SubmitOneAsync(After(done.Id));
        var cancelled = await ws.SubmitOneAsync(After(done.Id, failed.Id));
        var runsAnyway = await ws.SubmitOneAsync(After(failed.Id) with { OnDependencyFailure = JobDependencyPolicy.Run });

        (runs.Status, await HintedAsync(runs.Id)).ShouldBe((JobStatus.Pending, true));
        (cancelled.Status, cancelled.Error).ShouldBe((JobStatus.Cancelled, $"dependency {failed.Id} failed"));
        cancelled.CompletedAt.ShouldNotBeNull();
        (runsAnyway.Status, await HintedAsync(runsAnyway.Id)).ShouldBe((JobStatus.Pending, true));
    }

    [Fact]
    public async Task With_policy_run_a_failed_dependency_counts_as_done()
    {
        var ws = await db.NewWorkspaceAsync();
        var a = await ws.SubmitOneAsync();
        var b = await ws.SubmitOneAsync();
        var after = await ws.SubmitOneAsync(After(a.Id, b.Id) with { OnDependencyFailure = JobDependencyPolicy.Run });

        await ws.EndAsync(await ws.ClaimAsync(a.Id), JobStatus.Failed);
        (await db.Jobs.JobGetAsync(ws.Id, after.Id, Ct)).ShouldNotBeNull().Status.ShouldBe(JobStatus.Pending);
        (await db.Dependencies.JobDependencyGetAsync(ws.Id, after.Id, Ct)).ShouldNotBeNull().WaitingFor.ShouldBe(1);

        (await db.Jobs.JobCancelAsync(ws.Id, b.Id, null, Ct)).Applied.ShouldBeTrue();
        await ws.HintAsync();
        (await ws.ClaimAsync(after.Id)).Status.ShouldBe(JobStatus.Processing);
    }

    [Fact]
    public async Task Items_of_one_insert_may_wait_for_earlier_ones()
    {
        var ws = await db.NewWorkspaceAsync();
        var jobs = await ws.SubmitAsync([TestWorkspace.Job(), TestWorkspace.Job() with { DependsOnItems = [0] }]);

        (await db.Dependencies.JobDependencyGetAsync(ws.Id, jobs[1].Id, Ct)).ShouldNotBeNull()
            .DependsOn.ShouldHaveSingleItem().Id.ShouldBe(jobs[0].Id);
        (await HintedAsync(jobs[1].Id)).ShouldBeFalse();
        await CompleteAsync(ws, jobs[0].Id, db);
        (await ws.ClaimAsync(jobs[1].Id)).Status.ShouldBe(JobStatus.Processing);
    }

    [Fact]
    public async Task A_job_cancelled_at_submit_cancels_or_releases_the_later_items_waiting_for_it_and_sends_its_webhook()
    {
        var ws = await db.NewWorkspaceAsync();
        await db.Webhooks.EndpointCreateAsync(ws.Caller, new WebhookEndpointCreateParams("https://hooks.example/in", null, [WebhookEvents.JobCancelled], null), 20, Ct);
        var failed = await ws.EndAsync(await ws.StartAsync(), JobStatus.Failed);

        var jobs = await ws.SubmitAsync(
        [
            After(failed.Id),
            TestWorkspace.Job() with { DependsOnItems = [0] },
            TestWorkspace.Job() with { DependsOnItems = [0], OnDependencyFailure = JobDependencyPolicy.Run },
        ]);

        jobs[0].Status.ShouldBe(JobStatus.Cancelled);
        var cancelled = await ws.GetAsync(jobs[1].Id);
        (cancelled.Status, cancelled.Error).ShouldBe((JobStatus.Cancelled, $"dependency {jobs[0].Id} was cancelled"));
        (await db.Dependencies.JobDependencyGetAsync(ws.Id, jobs[2].Id, Ct)).ShouldNotBeNull().WaitingFor.ShouldBe(0);
        (await ws.ClaimAsync(jobs[2].Id)).Status.ShouldBe(JobStatus.Processing);
        await using var deliveries = db.DataSource.CreateCommand("SELECT job_id FROM webhook_deliveries WHERE workspace_id = @w ORDER BY job_id");
        deliveries.Parameters.AddWithValue("w", ws.Id);
        var delivered = new List<Guid>();
        await using (var reader = await deliveries.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                delivered.Add(reader.GetGuid(0));
            }
        }

        delivered.ShouldBe([jobs[0].Id, jobs[1].Id], ignoreOrder: true);
    }

    [Fact]
    public async Task Another_workspaces_jobs_are_unknown()
    {
        var ws = await db.NewWorkspaceAsync();
        var other = await db.NewWorkspaceAsync();
        var theirs = await other.SubmitOneAsync();

        (await db.Dependencies.JobDependencyExistingAsync(ws.Id, [theirs.Id], Ct)).ShouldBeEmpty();
        (await db.Dependencies.JobDependentListAsync(ws.Id, theirs.Id, 10, null, Ct)).ShouldBeNull();
        (await db.Dependencies.JobDependencyGetAsync(ws.Id, theirs.Id, Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Two_dependencies_completing_at_once_in_different_transactions_lose_no_decrement()
    {
        for (var round = 0; round < 10; round++)
        {
            var ws = await db.NewWorkspaceAsync();
            var a = await ws.ClaimAsync((await ws.SubmitOneAsync()).Id);
            var b = await ws.ClaimAsync((await ws.SubmitOneAsync()).Id);
            var after = await ws.SubmitOneAsync(After(a.Id, b.Id));

            await Task.WhenAll(
                Task.Run(() => db.Jobs.JobWriteManyAsync(AttemptWrites.Complete(AttemptWrites.Completion(a.Lease, ws.Id)), Ct)),
                Task.Run(() => db.Jobs.JobWriteManyAsync(AttemptWrites.Complete(AttemptWrites.Completion(b.Lease, ws.Id)), Ct)));

            (await db.Dependencies.JobDependencyGetAsync(ws.Id, after.Id, Ct)).ShouldNotBeNull().WaitingFor.ShouldBe(0);
            await ws.HintAsync();
            (await ws.ClaimAsync(after.Id)).Status.ShouldBe(JobStatus.Processing);
        }
    }

    [Fact]
    public async Task A_dependency_completing_while_a_dependent_is_submitted_is_counted_once()
    {
        for (var round = 0; round < 10; round++)
        {
            var ws = await db.NewWorkspaceAsync();
            var a = await ws.ClaimAsync((await ws.SubmitOneAsync()).Id);

            var submit = Task.Run(() => ws.SubmitOneAsync(After(a.Id)));
            await Task.Run(() => db.Jobs.JobWriteManyAsync(AttemptWrites.Complete(AttemptWrites.Completion(a.Lease, ws.Id)), Ct));
            var after = await submit;

            (await db.Dependencies.JobDependencyGetAsync(ws.Id, after.Id, Ct)).ShouldNotBeNull().WaitingFor.ShouldBe(0);
            await ws.HintAsync();
            (await ws.ClaimAsync(after.Id)).Status.ShouldBe(JobStatus.Processing);
        }
    }

    [Fact]
    public async Task A_retry_of_a_job_cancelled_by_its_dependency_runs_it_now()
    {
        var ws = await db.NewWorkspaceAsync();
        var a = await ws.SubmitOneAsync();
        var b = await ws.SubmitOneAsync(After(a.Id));
        await ws.EndAsync(await ws.ClaimAsync(a.Id), JobStatus.Failed);

        (await db.Jobs.JobRetryAsync(ws.Id, b.Id, null, Ct)).Applied.ShouldBeTrue();

        (await db.Dependencies.JobDependencyGetAsync(ws.Id, b.Id, Ct)).ShouldNotBeNull().WaitingFor.ShouldBe(0);
        await ws.HintAsync();
        (await ws.ClaimAsync(b.Id)).Status.ShouldBe(JobStatus.Processing);
    }

    [Fact]
    public async Task An_idempotency_key_is_bound_to_the_dependencies_too()
    {
        var ws = await db.NewWorkspaceAsync();
        var a = await ws.SubmitOneAsync();
        var b = await ws.SubmitOneAsync();
        var first = After(a.Id) with { IdempotencyKey = "deps-key" };

        await ws.SubmitOneAsync(first);
        var replay = await db.Jobs.JobInsertManyAsync(ws.Insert(first), Ct);
        var other = await db.Jobs.JobInsertManyAsync(ws.Insert(first with { DependsOn = [b.Id] }), Ct);

        replay.Results.ShouldHaveSingleItem().SameRequest.ShouldBeTrue();
        other.Results.ShouldHaveSingleItem().SameRequest.ShouldBeFalse();
    }
}
