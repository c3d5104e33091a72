using System.Diagnostics;
using System.Text.Json.Nodes;
using Jobs.Client;
using Jobs.Testing.Processes;

namespace Jobs.Compare;

/// <summary>
/// The throughput scenario again, on a table that looks like production's: <see cref="Plan.HistoryCompleted"/> completed
/// jobs retained (spread over the last 13 days, inside the default 14-day retention) and <see cref="Plan.HistoryFuture"/>
/// pending jobs due in ten years and never hinted (hinted_at NULL), all in the measured workspace, inserted with
/// INSERT … SELECT generate_series (no job_events rows), then <c>VACUUM (ANALYZE) jobs</c> as autovacuum would leave
/// a settled table, so the plans are the ones production gets. With the workers stopped, the same single and batch
/// submits at 16 clients as the plain run, topped up with unmeasured batches to the same backlog; then the workers
/// start and the rate is taken over that fresh backlog as in the throughput scenario.
/// </summary>
public sealed class HistoryScenario(ProcessCluster cluster, Plan plan, Action<string> progress)
{
    public async Task<JsonObject> RunAsync(JobsClient client, Guid workspace)
    {
        var result = new JsonObject
        {
            ["cancelledBefore"] = await WorkerControl.QuiesceAsync(cluster),
            ["tableRowsBefore"] = await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs"),
            ["completedRows"] = plan.HistoryCompleted,
            ["futureRows"] = plan.HistoryFuture,
        };

        progress($"jobs: history, inserting {plan.HistoryCompleted:N0} completed jobs and {plan.HistoryFuture:N0} pending jobs due in ten years");
        var clock = Stopwatch.StartNew();
        var template = await cluster.ScalarAsync<Guid>(TemplateSql, ("workspace", workspace));
        if (template == Guid.Empty)
        {
            throw new InvalidOperationException("history: no completed no-op demo job to copy (did the throughput scenario complete any?)");
        }

        await Sql.RowsAsync(cluster, CompletedSql, 900, ("rows", plan.HistoryCompleted), ("template", template));
        await Sql.RowsAsync(cluster, FutureSql, 900, ("rows", plan.HistoryFuture), ("template", template));
        result["insertSeconds"] = clock.Elapsed.TotalSeconds;
        clock.Restart();
        await Sql.RowsAsync(cluster, "VACUUM (ANALYZE) jobs", 900);
        result["vacuumSeconds"] = clock.Elapsed.TotalSeconds;
        result["tableRows"] = await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs");
        result["tableMiB"] = await cluster.ScalarAsync<long>("SELECT pg_total_relation_size('jobs')") / 1048576.0;
        progress($"jobs: history inserted in {result["insertSeconds"]!.GetValue<double>():F1} s, vacuumed in {clock.Elapsed.TotalSeconds:F1} s; submitting");

        // The fresh jobs are those created after this; their completions are found by (workspace_id, completed_at).
        var marker = await cluster.ScalarAsync<DateTime>("SELECT now()");
        var request = JobsRequests.Batch(JobsRequests.NoOp, plan.BatchSize);
        var single = await JobsScenarios.SubmitAsync(() => client.SubmitAsync(JobsRequests.NoOp), plan.SingleSubmits[16], 16);
        var batch = await JobsScenarios.SubmitAsync(() => client.SubmitBatchAsync(request), plan.BatchRequests[16], 16);
        var fresh = plan.SingleSubmits[16] + (plan.BatchRequests[16] * plan.BatchSize);
        var topUp = Math.Max(0, plan.BacklogJobs - fresh) / plan.BatchSize;
        await JobsScenarios.SubmitAsync(() => client.SubmitBatchAsync(request), topUp, 4);
        fresh += topUp * plan.BatchSize;

        progress($"jobs: history, {fresh} fresh pending beside {plan.HistoryFuture:N0} future ones; starting {plan.Workers} workers × {plan.Slots} slots");
        await StatementCost.ResetAsync(cluster);
        clock.Restart();
        await WorkerControl.StartAsync(cluster, plan.Workers);
        var started = clock.Elapsed;
        const string Since = "FROM jobs WHERE workspace_id = @ws AND completed_at IS NOT NULL AND completed_at >= @marker";
        long done;
        while ((done = await cluster.ScalarAsync<long>($"SELECT count(*) {Since}", ("ws", workspace), ("marker", marker))) < fresh
               && clock.Elapsed < plan.WorkDownDeadline + started)
        {
            await Task.Delay(100);
        }

        var span = await cluster.ScalarAsync<double>(
            $"SELECT coalesce(extract(epoch FROM max(completed_at) - min(started_at))::float8, 0) {Since}", ("ws", workspace), ("marker", marker));
        var rate = done / Math.Max(span, 1e-9);
        progress($"jobs: history: single {single.JobsPerSecond:F0} jobs/s (p50 {single.P50:F1} ms), batch {batch.JobsPerSecond * plan.BatchSize:F0} jobs/s, work-down {done}/{fresh} in {span:F2} s ({rate:F0} jobs/s)");
        result["singleJobs"] = plan.SingleSubmits[16];
        result["single"] = JobsScenarios.Json(single);
        result["batchJobs"] = plan.BatchRequests[16] * plan.BatchSize;
        result["batch"] = JobsScenarios.Json(batch with { Jobs = batch.Jobs * plan.BatchSize, JobsPerSecond = batch.JobsPerSecond * plan.BatchSize });
        result["jobs"] = fresh;
        result["completed"] = done;
        result["seconds"] = span;
        result["jobsPerSecond"] = rate;
        result["timedOut"] = done < fresh;
        result["sqlStatements"] = await StatementCost.ReadAsync(cluster, done);
        return result;
    }

    // A no-op demo job the engine has just completed in this workspace: the history copies what the engine wrote.
    private const string TemplateSql = """
        SELECT id
        FROM jobs
        WHERE workspace_id = @workspace
          AND type = 'demo'
          AND status = 'completed'
          AND payload = '{"items": 0}'::jsonb
        ORDER BY id
        LIMIT 1
        """;

    // Completed jobs as the engine leaves them: attempt 1, progress 100, started and completed a few milliseconds
    // after their creation, the template's result, stage and items; a hint time only where the engine leaves one.
    // Ids are UUIDv7 of their created_at (then hash bits), as the API's are. Every other column takes its default.
    private const string CompletedSql = """
        INSERT INTO jobs (id, workspace_id, user_id, type, queue, priority, status, payload, result, progress, stage,
                          processed_items, total_items, attempt, max_attempts, attempts_per_run, run_at, timeout_seconds,
                          hinted_at, version, created_at, started_at, completed_at, updated_at)
        SELECT (lpad(to_hex((extract(epoch FROM c.at) * 1000)::bigint), 12, '0') || '7' || substr(md5('h' || g), 1, 3)
                || '8' || substr(md5('h' || g), 4, 15))::uuid,
               t.workspace_id, t.user_id, t.type, t.queue, t.priority, 'completed', t.payload, t.result, 100, t.stage,
               t.processed_items, t.total_items, 1, t.max_attempts, t.attempts_per_run, c.at, t.timeout_seconds,
               CASE WHEN t.hinted_at IS NULL THEN NULL ELSE c.at END, t.version, c.at,
               c.at + interval '5 milliseconds', c.at + interval '7 milliseconds', c.at + interval '7 milliseconds'
        FROM jobs t
        CROSS JOIN generate_series(1, @rows) g
        CROSS JOIN LATERAL (SELECT now() - interval '13 days' * (@rows - g + 1) / @rows - interval '1 minute' AS at) c
        WHERE t.id = @template
        """;

    // Pending jobs due in ten years, never hinted, written as the API's submit writes a job with a later runAt
    // (scheduled): no worker may take them. Ids from the last minutes' milliseconds (one each), so that they append
    // to the primary key's right edge as the API's do.
    private const string FutureSql = """
        INSERT INTO jobs (id, workspace_id, user_id, type, queue, priority, status, payload, max_attempts,
                          attempts_per_run, run_at, scheduled, timeout_seconds)
        SELECT (lpad(to_hex((extract(epoch FROM now()) * 1000)::bigint - @rows + g), 12, '0') || '7' || substr(md5('f' || g), 1, 3)
                || '8' || substr(md5('f' || g), 4, 15))::uuid,
               t.workspace_id, t.user_id, t.type, t.queue, t.priority, 'pending', t.payload, t.max_attempts,
               t.attempts_per_run, now() + interval '10 years', true, t.timeout_seconds
        FROM jobs t
        CROSS JOIN generate_series(1, @rows) g
        WHERE t.id = @template
        """;
}
