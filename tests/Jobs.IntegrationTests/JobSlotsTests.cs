using System.Text.Json;
using Jobs.Core.Engine.Storage;
using Jobs.IntegrationTests.Infrastructure;
using Jobs.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;

namespace Jobs.IntegrationTests;

/// <summary>
/// A workspace's limit as slot rows: nothing waits for another transaction's hold on the workspace, the statement
/// that picks the next jobs stays in its index range on a table with a long analysed history and a future backlog,
/// and concurrent submits share commits without mixing callers.
/// </summary>
public sealed class JobSlotsTests(Servers servers)
{
    [Fact]
    public async Task ASubmit_TakesAnotherFreeSlot_WhileATransactionHoldsOne_InsteadOfWaitingForIt()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0, maxConcurrentJobs: 5);
        var workspace = cluster.Caller.WorkspaceId;
        // Another filler (or a completion freeing slot 1) in the middle of its transaction.
        await using var holder = new NpgsqlConnection(cluster.DatabaseConnectionString);
        await holder.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand("SELECT slot FROM job_slots WHERE workspace_id = @w AND slot = 1 FOR UPDATE", holder, transaction))
        {
            take.Parameters.AddWithValue("w", workspace);
            (await take.ExecuteScalarAsync()).ShouldBe(1);
        }

        // Under a workspace-wide lock these would wait for the holder; here each takes a slot the holder does not hold.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var ids = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => cluster.Client.SubmitDemoAsync(items: 1).WaitAsync(patience.Token)));
        var slots = await SlotsAsync(cluster, ids);
        slots.ShouldAllBe(s => s != null && s >= 2 && s <= 5);
        slots.Distinct().Count().ShouldBe(3);

        await transaction.RollbackAsync();
        var next = await cluster.Client.SubmitDemoAsync(items: 1);
        (await SlotsAsync(cluster, [next])).Single().ShouldNotBeNull();
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM job_slots WHERE workspace_id = @w AND job_id IS NOT NULL", ("w", workspace))).ShouldBe(4);
    }

    [Fact]
    public async Task AClaim_ReportsAHintedJobThatAnotherTransactionHolds_AsBusy_NotAsLost()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var id = await cluster.Client.SubmitDemoAsync(items: 1);
        var store = cluster.Api.Services.GetRequiredService<IJobStore>();
        // As a filler keeps the row it read as ready just before the job's hint committed: locked, to its commit.
        await using (var holder = await cluster.HoldRowAsync(id))
        {
            var meanwhile = await store.JobClaimManyAsync(new JobClaimManyParams([id], "worker-a", TimeSpan.FromSeconds(30)), CancellationToken.None);
            meanwhile.Claimed.ShouldBeEmpty();
            meanwhile.Busy.ShouldBe([id]);
        }

        var after = await store.JobClaimManyAsync(new JobClaimManyParams([id], "worker-a", TimeSpan.FromSeconds(30)), CancellationToken.None);
        after.Claimed.Single().Id.ShouldBe(id);
        after.Busy.ShouldBeEmpty();
        // Once someone's, it is no longer claimable: a later claimer is told neither.
        var late = await store.JobClaimManyAsync(new JobClaimManyParams([id], "worker-b", TimeSpan.FromSeconds(30)), CancellationToken.None);
        late.Claimed.ShouldBeEmpty();
        late.Busy.ShouldBeEmpty();
    }

    [Fact]
    public async Task AWorker_KeepsTheHintOfAJobItFindsHeld_AndRunsTheJobOnceReleased()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 1);
        var consumer = TestCluster.ConsumerOf(cluster.Workers[0]);
        consumer.HeartbeatsPaused = true;
        var id = await cluster.Client.SubmitDemoAsync(items: 1);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(servers.RedisConnectionString);
        var stream = new RedisKeys(cluster.RedisKeyPrefix).Stream("default");
        async Task<long> UnacknowledgedAsync() => (await redis.GetDatabase().StreamPendingAsync(stream, RedisKeys.ConsumerGroup)).PendingMessageCount;

        await using (var holder = await cluster.HoldRowAsync(id))
        {
            consumer.HeartbeatsPaused = false;
            await Eventually.TrueAsync(async () => await UnacknowledgedAsync() == 1, "the worker to read the hint");
            // Dropping it would leave the job hinted, holding its slot, until maintenance found the hint stale.
            await Task.Delay(300);
            (await UnacknowledgedAsync()).ShouldBe(1);
            (await cluster.ScalarAsync<string>("SELECT status FROM jobs WHERE id = @id", ("id", id))).ShouldBe("pending");
        }

        var job = await cluster.Client.WaitForStatusAsync(id, "completed", TimeSpan.FromSeconds(30));
        job.Attempt.ShouldBe(1);
        await Eventually.TrueAsync(async () => await UnacknowledgedAsync() == 0, "the entry to be acknowledged");
    }

    [Fact]
    public async Task AJobThatEnds_GivesItsSlotBack_AndTheSlotsTakeTheNextJobs_WithinTheLimit()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0, maxConcurrentJobs: 2);
        var workspace = cluster.Caller.WorkspaceId;
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await cluster.Client.SubmitDemoAsync(items: 1));
        }

        // Two hinted (holding the two slots), two waiting without a hint.
        (await SlotsAsync(cluster, [.. ids])).Count(s => s is not null).ShouldBe(2);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE workspace_id = @w AND status = 'pending' AND hinted_at IS NULL", ("w", workspace))).ShouldBe(2);

        // Cancelling a hinted job frees its slot; the API then hints the next job into it.
        using (var cancel = await cluster.Client.PostAsync($"/api/jobs/{ids[0]}/cancel", null))
        {
            cancel.IsSuccessStatusCode.ShouldBeTrue();
        }

        await Eventually.TrueAsync(async () => (await SlotsAsync(cluster, [ids[2]])).Single() is not null, "the third job to take the freed slot");
        (await SlotsAsync(cluster, [ids[0]])).Single().ShouldBeNull();
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM job_slots WHERE workspace_id = @w AND job_id IS NOT NULL", ("w", workspace))).ShouldBe(2);
        // Every held slot names a job that holds it, and the other way round.
        (await cluster.ScalarAsync<long>("""
            SELECT count(*)
            FROM job_slots s
            FULL JOIN (SELECT id, workspace_id, slot FROM jobs WHERE slot IS NOT NULL) j ON j.workspace_id = s.workspace_id AND j.slot = s.slot
            WHERE (s.job_id IS NOT NULL OR j.id IS NOT NULL) AND s.job_id IS DISTINCT FROM j.id
            """)).ShouldBe(0);
    }

    [Fact]
    public async Task AFutureJob_IsScheduled_OutOfTheReadyJobs_UntilItIsDue()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var later = await cluster.Client.SubmitAsync(new { type = "demo", payload = new { items = 1 }, runAt = DateTimeOffset.UtcNow.AddSeconds(2) });
        (await cluster.ScalarAsync<bool>("SELECT scheduled FROM jobs WHERE id = @id", ("id", later))).ShouldBeTrue();
        (await SlotsAsync(cluster, [later])).Single().ShouldBeNull();

        await using var worker = await cluster.StartWorkerAsync();
        await cluster.Client.WaitForStatusAsync(later, "completed", TimeSpan.FromSeconds(30));
        var (runAt, startedAt) = (await cluster.Client.GetJobAsync(later)) is var job
            ? (job.RunAt, job.StartedAt)
            : default;
        startedAt.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(runAt);
        (await cluster.ScalarAsync<bool>("SELECT scheduled FROM jobs WHERE id = @id", ("id", later))).ShouldBeFalse();
    }

    [Fact]
    public async Task PickingTheNextJobs_ReadsOnlyTheReadyIndex_WithALongAnalysedHistory_AndAFutureBacklog()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0, maxConcurrentJobs: 100);
        var workspace = cluster.Caller.WorkspaceId;
        // As a year of use leaves the table: finished jobs kept for retention, a large backlog scheduled for later, a
        // few ready ones; statistics current, as autovacuum keeps them.
        await cluster.ScalarAsync<object>("""
            INSERT INTO jobs (id, workspace_id, user_id, type, queue, status, payload, max_attempts, attempts_per_run, run_at,
                              timeout_seconds, hinted_at, attempt, progress, started_at, completed_at)
            SELECT gen_random_uuid(), @w, u.id, 'demo', 'default', 'completed', '{}', 3, 3, now() - interval '1 day', 60,
                   now() - interval '1 day', 1, 100, now() - interval '1 day', now() - interval '1 day'
            FROM generate_series(1, 30000), (SELECT id FROM users WHERE workspace_id = @w LIMIT 1) u;
            INSERT INTO jobs (id, workspace_id, user_id, type, queue, status, payload, max_attempts, attempts_per_run, run_at,
                              timeout_seconds, scheduled)
            SELECT gen_random_uuid(), @w, u.id, 'demo', 'default', 'pending', '{}', 3, 3, now() + interval '10 years', 60, true
            FROM generate_series(1, 30000), (SELECT id FROM users WHERE workspace_id = @w LIMIT 1) u;
            """, ("w", workspace));
        for (var i = 0; i < 20; i++)
        {
            await cluster.ScalarAsync<object>("UPDATE jobs SET scheduled = false, run_at = now() WHERE id = (SELECT id FROM jobs WHERE scheduled LIMIT 1)");
        }

        await cluster.ScalarAsync<object>("ANALYZE jobs; ANALYZE job_slots");

        // The plan a prepared statement settles on after a few runs: generic, parameters unknown.
        var plan = await GenericPlanAsync(cluster, NpgsqlJobStore.FillSlotsSql, ("workspace_id", "uuid", $"'{workspace}'"), ("limit", "integer", "100"),
            ("leader_name", "text", "NULL"), ("leader_id", "text", "NULL"), ("leader_term", "bigint", "NULL"));
        var scans = Scans(plan).ToList();
        scans.ShouldContain(s => s.Relation == "jobs" && s.Index == "jobs_ready");
        scans.ShouldNotContain(s => s.Relation == "jobs" && s.Type == "Seq Scan", string.Join("; ", scans));
        scans.Where(s => s.Relation == "jobs").ShouldAllBe(s => s.Index == "jobs_ready" || s.Index == "jobs_pkey", string.Join("; ", scans));
    }

    [Fact]
    public async Task ConcurrentSubmits_OfTwoWorkspaces_ShareCommits_ButEachCallerGetsItsOwnJobs()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (other, otherCaller) = await cluster.CreateWorkspaceClientAsync();
        var submits = Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? cluster.Client : other).SubmitDemoAsync(items: i + 1)).ToList();
        var ids = await Task.WhenAll(submits);

        ids.Distinct().Count().ShouldBe(40);
        for (var i = 0; i < ids.Length; i++)
        {
            var (mine, theirs) = i % 2 == 0 ? (cluster.Client, other) : (other, cluster.Client);
            var job = await mine.GetJobAsync(ids[i]);
            job.Payload.GetProperty("items").GetInt32().ShouldBe(i + 1);
            using var foreign = await theirs.GetAsync($"/api/jobs/{ids[i]}");
            foreign.StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
        }

        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE workspace_id = @w", ("w", otherCaller.WorkspaceId))).ShouldBe(20);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM job_events WHERE kind = 'created' AND job_id = ANY(@ids)", ("ids", ids))).ShouldBe(40);
        // Each workspace hinted up to its limit (5), never more.
        (await cluster.ScalarAsync<long>("SELECT max(n) FROM (SELECT count(*) AS n FROM jobs WHERE slot IS NOT NULL GROUP BY workspace_id) x")).ShouldBe(5);
    }

    private static async Task<int?[]> SlotsAsync(TestCluster cluster, Guid[] ids)
    {
        var slots = new int?[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            slots[i] = await cluster.ScalarAsync<int?>("SELECT slot FROM jobs WHERE id = @id", ("id", ids[i]));
        }

        return slots;
    }

    private static async Task<JsonElement> GenericPlanAsync(TestCluster cluster, string sql, params (string Name, string Type, string Value)[] parameters)
    {
        // Named parameters become positional ones, longest name first so that no name is replaced inside another.
        var numbered = parameters.Select((p, i) => (p.Name, Position: i + 1)).OrderByDescending(p => p.Name.Length)
            .Aggregate(sql, (text, p) => text.Replace("@" + p.Name, "$" + p.Position, StringComparison.Ordinal));
        await using var connection = new NpgsqlConnection(cluster.DatabaseConnectionString);
        await connection.OpenAsync();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SET plan_cache_mode = force_generic_plan"),
                new NpgsqlBatchCommand($"PREPARE fill ({string.Join(", ", parameters.Select(p => p.Type))}) AS {numbered}"),
                new NpgsqlBatchCommand($"EXPLAIN (FORMAT JSON) EXECUTE fill ({string.Join(", ", parameters.Select(p => p.Value))})"),
            },
        };
        var json = (string)(await batch.ExecuteScalarAsync())!;
        return JsonDocument.Parse(json).RootElement[0].GetProperty("Plan").Clone();
    }

    private static IEnumerable<(string Type, string? Relation, string? Index)> Scans(JsonElement node)
    {
        var type = node.GetProperty("Node Type").GetString()!;
        if (type.Contains("Scan", StringComparison.Ordinal))
        {
            yield return (type,
                node.TryGetProperty("Relation Name", out var relation) ? relation.GetString() : null,
                node.TryGetProperty("Index Name", out var index) ? index.GetString() : null);
        }

        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray().SelectMany(Scans))
            {
                yield return child;
            }
        }
    }
}
