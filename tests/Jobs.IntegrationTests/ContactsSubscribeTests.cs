using System.Text.Json;
using Jobs.Contracts.Jobs;
using Jobs.IntegrationTests.Infrastructure;
using Jobs.Worker.Handlers.Contacts;
using static Jobs.IntegrationTests.Infrastructure.ContactsData;

namespace Jobs.IntegrationTests;

/// <summary>
/// <c>contacts.subscribe</c> end to end on real PostgreSQL and Redis: batches of the workspace's size with its pause,
/// processed/total after every batch, each contact's outcome and reason, and a rerun after a lost lease that enrolls
/// nobody twice and still reports everyone.
/// </summary>
public sealed class ContactsSubscribeTests(Servers servers)
{
    [Fact]
    public async Task Subscribe_ReportsEveryContactsOutcome_InBatchesOfTheWorkspacesSize_WithProgressAfterEachBatch()
    {
        await using var cluster = await TestCluster.StartAsync(servers);
        var workspace = cluster.Caller.WorkspaceId;
        await cluster.SetSubscribeBatchingAsync(workspace, size: 15, pauseMs: 500);
        var sequence = await cluster.InsertSequenceAsync(workspace, "Welcome");
        // 36 contacts of the workspace: 3, 7 and 12 opted out (12 is do-not-contact too: the first reason wins), 11
        // do-not-contact, 20 and 21 enrolled already (21 opted out too), and 30 rejected by the database.
        var contacts = await cluster.InsertContactsAsync(workspace, Enumerable.Range(0, 36).Select(i => new NewContact(
            $"person{i:D2}@example.com", OptedOut: i is 3 or 7 or 12 or 21, DoNotContact: i is 11 or 12)).ToList());
        await cluster.EnrollAsync(workspace, sequence, contacts[20], contacts[21]);
        var (other, otherCaller) = await cluster.CreateWorkspaceClientAsync();
        using var _ = other;
        var foreign = await cluster.InsertContactsAsync(otherCaller.WorkspaceId, 2, "foreign");
        var unknown = new[] { Guid.CreateVersion7(), Guid.CreateVersion7() };
        await cluster.ScalarAsync<int>($"""
            CREATE FUNCTION reject_contact() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.contact_id = '{contacts[30]}' THEN
                    RAISE EXCEPTION 'provider rejected the contact';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER reject_contact BEFORE INSERT ON sequence_enrollments FOR EACH ROW EXECUTE FUNCTION reject_contact();
            """);
        List<Guid> payload = [.. contacts[..10], unknown[0], foreign[0], .. contacts[10..25], foreign[1], .. contacts[25..], unknown[1]];
        payload.Count.ShouldBe(40);

        var id = await cluster.Client.SubmitContactsJobAsync(ContactSubscribeHandler.TypeName, new { sequenceId = sequence, contactIds = payload });
        var samples = new List<(long? Processed, long? Total, int Progress)>();
        JobResponse? job = null;
        await Eventually.TrueAsync(async () =>
        {
            job = await cluster.Client.GetJobAsync(id);
            samples.Add((job.ProcessedItems, job.TotalItems, job.Progress));
            return job.Status is "completed" or "failed";
        }, "the subscription to finish", TimeSpan.FromSeconds(60));

        job!.Status.ShouldBe("completed", job.ToString());
        var described = string.Join(", ", samples.Select(s => $"{s.Processed}/{s.Total}:{s.Progress}%"));
        // Three batches of 15, 15 and 10; every batch's processed/total was seen while the job waited out its pause.
        samples.Where(s => s.Processed > 0).Select(s => s.Processed!.Value).Distinct().Order().ToList().ShouldBe(new List<long> { 15, 30, 40 }, described);
        samples.Where(s => s.Processed > 0).ShouldAllBe(s => s.Total == 40, described);
        samples.Where(s => s.Processed == 15).ShouldAllBe(s => s.Progress == 37, described);
        samples.Where(s => s.Processed == 30).ShouldAllBe(s => s.Progress == 75, described);
        samples.Select(s => s.Progress).ShouldBeInOrder(SortDirection.Ascending, described);
        (job.Progress, job.ProcessedItems, job.TotalItems).ShouldBe((100, 40L, 40L));
        var run = job.CompletedAt!.Value - job.StartedAt!.Value;
        run.ShouldBeGreaterThan(TimeSpan.FromMilliseconds(950), "two pauses of 500 ms between three batches");

        var result = job.Result!.Value;
        var blocked = result.GetProperty("blocked").EnumerateArray()
            .ToDictionary(b => b.GetProperty("contactId").GetGuid(), b => b.GetProperty("reason").GetString());
        blocked.ShouldBe(new Dictionary<Guid, string?>
        {
            [contacts[3]] = BlockReasons.OptedOut, [contacts[7]] = BlockReasons.OptedOut, [contacts[12]] = BlockReasons.OptedOut,
            [contacts[11]] = BlockReasons.DoNotContact,
            [contacts[20]] = BlockReasons.AlreadyEnrolled, [contacts[21]] = BlockReasons.AlreadyEnrolled,
            [unknown[0]] = BlockReasons.NotFound, [unknown[1]] = BlockReasons.NotFound,
            [foreign[0]] = BlockReasons.NotFound, [foreign[1]] = BlockReasons.NotFound,
        }, ignoreOrder: true);
        var failed = result.GetProperty("failed").EnumerateArray().Single();
        failed.GetProperty("contactId").GetGuid().ShouldBe(contacts[30]);
        failed.GetProperty("error").GetString()!.ShouldContain("provider rejected the contact");
        var expected = contacts.Where((_, i) => i is not (3 or 7 or 11 or 12 or 20 or 21 or 30)).ToList();
        result.GetProperty("succeeded").Guids().ShouldBe(expected); // in the payload's order, which keeps the contacts' own
        result.GetProperty("total").GetInt32().ShouldBe(40);
        result.GetProperty("batchSize").GetInt32().ShouldBe(15);
        result.GetProperty("sequenceName").GetString().ShouldBe("Welcome");

        var metrics = job.Metrics;
        (metrics.GetProperty("succeeded").GetInt32(), metrics.GetProperty("blocked").GetInt32(), metrics.GetProperty("failed").GetInt32()).ShouldBe((29, 10, 1));
        (metrics.GetProperty("batches").GetInt32(), metrics.GetProperty("batch_size").GetInt32()).ShouldBe((3, 15));
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM sequence_enrollments WHERE sequence_id = @s AND job_id = @j", ("s", sequence), ("j", id))).ShouldBe(29);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM sequence_enrollments WHERE sequence_id = @s", ("s", sequence))).ShouldBe(31);
        var timeline = await cluster.Client.GetTimelineAsync(id);
        timeline.Kinds().ShouldBe(["created", "started", "stage", "completed"]);
        timeline[2].Stage.ShouldBe(ContactSubscribeHandler.Stage);
    }

    [Fact]
    public async Task Subscribe_ToASequenceTheWorkspaceDoesNotHave_FailsAtOnce()
    {
        await using var cluster = await TestCluster.StartAsync(servers);
        var contacts = await cluster.InsertContactsAsync(cluster.Caller.WorkspaceId, 3);
        var (other, otherCaller) = await cluster.CreateWorkspaceClientAsync();
        using var _ = other;
        var theirs = await cluster.InsertSequenceAsync(otherCaller.WorkspaceId, "Theirs");

        foreach (var sequence in new[] { Guid.CreateVersion7(), theirs })
        {
            var id = await cluster.Client.SubmitContactsJobAsync(ContactSubscribeHandler.TypeName, new { sequenceId = sequence, contactIds = contacts }, maxAttempts: 3);
            var job = await cluster.Client.WaitForStatusAsync(id, "failed");
            job.Attempt.ShouldBe(1);
            job.Error.ShouldBe($"Sequence {sequence} does not exist in this workspace.");
        }

        (await cluster.ScalarAsync<long>("SELECT count(*) FROM sequence_enrollments")).ShouldBe(0);
    }

    [Fact]
    public async Task WorkerThatStopsHeartbeatingMidway_LosesTheJob_AndTheRerunEnrollsNobodyTwice_AndReportsEveryone()
    {
        // Ten batches of 4 with 700 ms between them, over 6 s: the stalled attempt cannot finish within its 3 s lease.
        await using var cluster = await TestCluster.StartAsync(servers, workers: 2);
        var workspace = cluster.Caller.WorkspaceId;
        await cluster.SetSubscribeBatchingAsync(workspace, size: 4, pauseMs: 700);
        var sequence = await cluster.InsertSequenceAsync(workspace, "Onboarding");
        var contacts = await cluster.InsertContactsAsync(workspace, Enumerable.Range(0, 40).Select(i => new NewContact(
            $"rerun{i:D2}@example.com", OptedOut: i % 10 == 5)).ToList());
        await cluster.EnrollAsync(workspace, sequence, contacts[0], contacts[39]);
        var id = await cluster.Client.SubmitContactsJobAsync(ContactSubscribeHandler.TypeName, new { sequenceId = sequence, contactIds = contacts }, maxAttempts: 3);
        await Eventually.TrueAsync(async () => (await cluster.Client.GetJobAsync(id)).ProcessedItems >= 8, "two batches to be done");
        var owner = await cluster.ScalarAsync<string>("SELECT lease_owner FROM jobs WHERE id = @id", ("id", id));
        var stalled = cluster.Workers.Single(w => TestCluster.IdentityOf(w).Id == owner);

        TestCluster.ConsumerOf(stalled).HeartbeatsPaused = true;

        var done = await cluster.Client.WaitForStatusAsync(id, "completed", TimeSpan.FromSeconds(60));
        done.Attempt.ShouldBe(2);
        var kinds = (await cluster.Client.GetTimelineAsync(id)).Kinds();
        kinds.ShouldContain("lease_expired");
        kinds.Count(k => k == "completed").ShouldBe(1);
        await Eventually.TrueAsync(() => Task.FromResult(TestCluster.ConsumerOf(stalled).RunningCount == 0), "the stalled worker to stop its handler");

        // Both attempts enrolled contacts; each contact is enrolled once, by this job, and reported as succeeded.
        var result = done.Result!.Value;
        var optedOut = contacts.Where((_, i) => i % 10 == 5).ToList();
        var expected = contacts.Where((_, i) => i % 10 != 5 && i is not (0 or 39)).ToList();
        result.GetProperty("succeeded").Guids().ShouldBe(expected);
        result.GetProperty("blocked").EnumerateArray().Select(b => (b.GetProperty("contactId").GetGuid(), b.GetProperty("reason").GetString()))
            .ShouldBe([(contacts[0], BlockReasons.AlreadyEnrolled), .. optedOut.Select(c => (c, (string?)BlockReasons.OptedOut)), (contacts[39], BlockReasons.AlreadyEnrolled)]);
        result.GetProperty("failed").GetArrayLength().ShouldBe(0);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM sequence_enrollments WHERE sequence_id = @s", ("s", sequence))).ShouldBe(expected.Count + 2);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM sequence_enrollments WHERE sequence_id = @s AND job_id = @j", ("s", sequence), ("j", id))).ShouldBe(expected.Count);
        done.Metrics.GetProperty("succeeded").GetInt32().ShouldBe(expected.Count);
    }

    [Fact]
    public async Task CancelDuringThePauseBetweenBatches_StopsAtOnce_KeepingTheBatchesDone()
    {
        await using var cluster = await TestCluster.StartAsync(servers);
        var workspace = cluster.Caller.WorkspaceId;
        await cluster.SetSubscribeBatchingAsync(workspace, size: 5, pauseMs: 30_000);
        var sequence = await cluster.InsertSequenceAsync(workspace, "Re-engagement");
        var contacts = await cluster.InsertContactsAsync(workspace, 20);
        var id = await cluster.Client.SubmitContactsJobAsync(ContactSubscribeHandler.TypeName, new { sequenceId = sequence, contactIds = contacts });
        await Eventually.TrueAsync(async () => (await cluster.Client.GetJobAsync(id)).ProcessedItems == 5, "the first batch to be done");

        var (status, _) = await cluster.Client.PostAsync($"/api/jobs/{id}/cancel");

        status.ShouldBe(System.Net.HttpStatusCode.OK);
        var job = await cluster.Client.WaitForStatusAsync(id, "cancelled", TimeSpan.FromSeconds(10));
        job.ProcessedItems.ShouldBe(5);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM sequence_enrollments WHERE job_id = @id", ("id", id))).ShouldBe(5);
    }
}
