using System.Diagnostics;
using System.Text.Json.Nodes;
using Jobs.Soak;

namespace Jobs.Compare;

/// <summary>
/// Submit and claim rates with <see cref="Plan.BacklogRows"/> pending jobs versus none. The backlog is inserted with
/// one INSERT … SELECT generate_series, columns as the API writes them, in the same workspace as the measured jobs
/// but due in ten years: pending, never hinted (enqueued_at NULL), and in every pending index, so that submit,
/// hinting and claims of the fresh jobs run against the large table and indexes while no worker drains the backlog
/// itself (a scheduled backlog; due jobs would simply be worked down). No job_events rows are written for it.
/// Each measurement, before and after the insert: workers stopped, <see cref="Plan.BacklogSingles"/> single submits
/// and <see cref="Plan.BacklogBatches"/> batches from 16 clients, then workers started and those fresh jobs worked
/// down (rate over first started_at → last completed_at, as the throughput scenario).
/// </summary>
public sealed class BacklogScenario(ProcessCluster cluster, Plan plan, Action<string> progress)
{
    private static readonly object NoOp = new { type = "demo", payload = new { items = 0 } };
    private static readonly TimeSpan WorkDownBound = TimeSpan.FromSeconds(60);

    public async Task<JsonObject> RunAsync(HttpClient http)
    {
        var result = new JsonObject { ["rows"] = plan.BacklogRows };
        var drain = Stopwatch.StartNew();
        while (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE status IN ('pending', 'processing')") > 0 && drain.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(500);
        }

        // Left over from continuous mode if the engine could not keep up: they would join the fresh sets, so they end here.
        result["leftoverCancelled"] = await cluster.ScalarAsync<int>("""
            WITH c AS (
                UPDATE jobs
                SET status = 'cancelled', completed_at = now(), cancel_requested_at = now(), enqueued_at = NULL
                WHERE status = 'pending'
                RETURNING 1)
            SELECT count(*)::int FROM c
            """);
        result["tableRowsBefore"] = await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs");

        progress("jobs: backlog, measuring on a table with no pending jobs");
        var empty = await MeasureAsync(http);
        result["empty"] = empty;

        progress($"jobs: backlog, inserting {plan.BacklogRows:N0} pending jobs due in ten years");
        var clock = Stopwatch.StartNew();
        var workspace = await cluster.ScalarAsync<Guid>("SELECT workspace_id FROM jobs WHERE type = 'demo' ORDER BY id LIMIT 1");
        await Sql.RowsAsync(cluster, InsertSql, 300, ("rows", plan.BacklogRows), ("workspace", workspace));
        result["insertSeconds"] = clock.Elapsed.TotalSeconds;
        // As autovacuum would leave a settled table: statistics and the visibility map current, so the plans are the real ones.
        clock.Restart();
        await Sql.RowsAsync(cluster, "VACUUM (ANALYZE) jobs", 300);
        result["vacuumSeconds"] = clock.Elapsed.TotalSeconds;
        progress($"jobs: backlog inserted in {result["insertSeconds"]!.GetValue<double>():F1} s, vacuumed in {clock.Elapsed.TotalSeconds:F1} s; measuring again");

        var loaded = await MeasureAsync(http);
        result["loaded"] = loaded;
        var drops = new JsonObject();
        foreach (var key in new[] { "singleJobsPerSecond", "batchJobsPerSecond", "workDownJobsPerSecond" })
        {
            var before = empty[key]!.GetValue<double>();
            drops[key] = before > 0 ? (before - loaded[key]!.GetValue<double>()) / before * 100 : null;
        }

        result["dropPercent"] = drops;
        return result;
    }

    private async Task<JsonObject> MeasureAsync(HttpClient http)
    {
        await StopWorkersAsync();
        var marker = await cluster.ScalarAsync<DateTime>("SELECT now()");
        var single = await JobsScenarios.SubmitAsync(http, "/api/jobs", NoOp, plan.BacklogSingles, 16);
        var batch = await JobsScenarios.SubmitAsync(http, "/api/jobs/batch", new { jobs = Enumerable.Repeat(NoOp, plan.BatchSize).ToArray() }, plan.BacklogBatches, 16);
        var fresh = plan.BacklogSingles + (plan.BacklogBatches * plan.BatchSize);

        await Task.WhenAll(Enumerable.Range(0, plan.Workers).Select(_ => cluster.StartWorkerAsync()));
        var workspace = await cluster.ScalarAsync<Guid>("SELECT workspace_id FROM jobs WHERE type = 'demo' ORDER BY id LIMIT 1");
        // Completed since the marker are exactly the fresh jobs; the count reads the (workspace, completed_at) index.
        const string Since = "FROM jobs WHERE workspace_id = @ws AND completed_at IS NOT NULL AND completed_at >= @marker";
        var clock = Stopwatch.StartNew();
        long done;
        while ((done = await cluster.ScalarAsync<long>($"SELECT count(*) {Since}", ("ws", workspace), ("marker", marker))) < fresh
               && clock.Elapsed < WorkDownBound)
        {
            await Task.Delay(200);
        }

        var span = await cluster.ScalarAsync<double>(
            $"SELECT coalesce(extract(epoch FROM max(completed_at) - min(started_at))::float8, 0) {Since}", ("ws", workspace), ("marker", marker));
        var rate = done / Math.Max(span, 1e-9);
        progress($"jobs: backlog: single {single.JobsPerSecond:F0} jobs/s, batch {batch.JobsPerSecond * plan.BatchSize:F0} jobs/s, work-down {done}/{fresh} at {rate:F0} jobs/s");
        return new JsonObject
        {
            ["pendingBacklog"] = await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE status = 'pending'"),
            ["singleJobs"] = plan.BacklogSingles,
            ["singleJobsPerSecond"] = single.JobsPerSecond,
            ["singleP50"] = single.P50,
            ["singleP99"] = single.P99,
            ["batchJobs"] = plan.BacklogBatches * plan.BatchSize,
            ["batchJobsPerSecond"] = batch.JobsPerSecond * plan.BatchSize,
            ["workDownJobs"] = fresh,
            ["workDownCompleted"] = done,
            ["workDownSeconds"] = span,
            ["workDownJobsPerSecond"] = rate,
            ["workDownBoundHit"] = done < fresh,
        };
    }

    private async Task StopWorkersAsync()
    {
        foreach (var worker in cluster.Workers)
        {
            cluster.SignalWorker(worker, ServiceProcess.SigTerm);
            await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));
            worker.Dispose();
        }
    }

    // UUIDv7-shaped ids (a millisecond timestamp from the last ~17 minutes, then hash bits): the API's ids are v7,
    // and ordered keys append to the primary key's right edge as the API's inserts do. The template row gives the
    // columns the API wrote for a no-op demo job (user, queue, attempts, timeout).
    private const string InsertSql = """
        INSERT INTO jobs (id, workspace_id, user_id, type, queue, priority, status, payload, max_attempts,
                          attempts_per_run, run_at, timeout_seconds)
        SELECT (lpad(to_hex(t.ms - @rows + g), 12, '0') || '7' || substr(md5(g::text), 1, 3) || '8' || substr(md5(g::text), 4, 15))::uuid,
               t.workspace_id, t.user_id, t.type, t.queue, t.priority, 'pending', t.payload, t.max_attempts,
               t.attempts_per_run, now() + interval '10 years', t.timeout_seconds
        FROM (SELECT j.workspace_id, j.user_id, j.type, j.queue, j.priority, j.payload, j.max_attempts, j.attempts_per_run,
                     j.timeout_seconds, (extract(epoch FROM now()) * 1000)::bigint AS ms
              FROM jobs j
              WHERE j.workspace_id = @workspace
                AND j.type = 'demo'
                AND j.payload = '{"items": 0}'::jsonb
              ORDER BY j.id
              LIMIT 1) t
        CROSS JOIN generate_series(1, @rows) g
        """;
}
