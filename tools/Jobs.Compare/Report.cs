using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Jobs.Compare;

/// <summary>
/// The result file as Markdown: Jobs against its targets, Jobs' other figures, and every system side by side. Each
/// figure is the median of the runs with their min – max; ratios are medians of ratios taken within each run.
/// </summary>
public static class Report
{
    public static string Markdown(JsonObject run)
    {
        var s = new StringBuilder();
        var plan = run["plan"]!;
        var runs = run["runs"]!.AsArray();
        var summary = run["summary"]!;
        var jobs = summary["jobs"]!;
        var m = run["machine"]!;
        var services = run["services"]!;
        var quick = run["quick"]!.GetValue<bool>();
        var last = runs.Select(r => r!["jobs"]).LastOrDefault(j => j is not null);
        var lastIndex = runs.LastOrDefault(r => r!["jobs"] is not null)?["run"];
        s.AppendLine(CultureInfo.InvariantCulture, $"Run {run["startedAt"]} ({(quick ? "--quick" : "full")}), {runs.Count} runs, {F0(run["seconds"])} s in all; {m["cores"]} cores ({m["cpu"]}), {m["memoryGiB"]} GiB; {m["os"]}; {m["dotnet"]}, Node {m["node"]}, PostgreSQL {m["postgres"]}, Redis {m["redis"]}.");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Order of the runs, each on a fresh database: {string.Join("; ", runs.Select(r => $"{r!["run"]}. {string.Join(", ", r["order"]!.AsArray().Select(o => o!.GetValue<string>()))} (load {Load(r["loadAverage"])})"))}. Figures are medians of the runs with their min – max; a ratio is taken within each run, then its median. Services: {services["configuration"]} builds in {services["environment"]}.");
        s.AppendLine();

        var backlog = plan["backlogJobs"];
        var history = $"{F0(plan["historyCompleted"])} completed + {F0(plan["historyFuture"])} future pending, VACUUM ANALYZE";
        s.AppendLine("| Jobs against the targets | median | min – max | target | |");
        s.AppendLine("| --- | --- | --- | --- | --- |");
        Target(s, $"work-down: {backlog} pending no-op jobs, {plan["workers"]} workers × {plan["slots"]} slots, jobs/s", jobs["throughput.jobsPerSecond"], 5000, true, F0, quick ? " (full run)" : "");
        Target(s, "work-down ÷ graphile-worker (per run)", summary["peers"]?["graphile-worker"]?["jobsRatio"], 2, true, X);
        Target(s, $"history: the same work-down beside {history}, jobs/s", jobs["history.jobsPerSecond"], null, true, F0);
        Target(s, "history ÷ plain work-down (per run)", jobs["ratio.historyToPlain"], 0.8, true, X);
        Target(s, $"{plan["workspaces"]} workspaces at the default limit, the same backlog spread over them, jobs/s", jobs["workspaces.jobsPerSecond"], null, true, F0);
        Target(s, $"{plan["workspaces"]} workspaces ÷ single workspace (per run)", jobs["ratio.workspacesToPlain"], 0.8, true, X);
        var held = summary["limitsHeldInEveryRun"]?.GetValue<bool>() == true;
        var limit = last?["workspaces"]?["byWorkspace"]?.AsArray().Select(w => w!["limit"]!.GetValue<int>()).DefaultIfEmpty().Min();
        s.AppendLine(CultureInfo.InvariantCulture, $"| {plan["workspaces"]} workspaces: most jobs processing in one workspace, sampled every {F0(plan["limitSampleIntervalMs"])} ms ({F0(jobs["workspaces.samples"]?["median"])} samples a run, one every {F(jobs["workspaces.sampleIntervalMs"]?["median"])} ms) | {F0(jobs["workspaces.maxProcessing"]?["median"])} | {Spread(jobs["workspaces.maxProcessing"], F0)} | ≤ its limit ({limit}) in every sample | {(held ? "met" : "**missed**")} |");
        Target(s, "POST /api/jobs, 16 clients: jobs/s", jobs["submit.single_16.jobsPerSecond"], 3000, true, F0);
        Target(s, "POST /api/jobs, 16 clients: p50 ms", jobs["submit.single_16.p50"], 5, false, F);
        Target(s, "POST /api/jobs, 16 clients: p99 ms", jobs["submit.single_16.p99"], 20, false, F);
        Target(s, "POST /api/jobs/batch (100 a request), 16 clients: jobs/s", jobs["submit.batch_16.jobsPerSecond"], 30000, true, F0);
        if (jobs["submit.batch_64.jobsPerSecond"] is { } batch64)
        {
            Target(s, "POST /api/jobs/batch (100 a request), 64 clients: jobs/s", batch64, 30000, true, F0);
        }

        if (jobs["ratio.single64To16"]?["median"] is not null)
        {
            Target(s, "POST /api/jobs, 64 clients ÷ 16 clients, jobs/s (per run)", jobs["ratio.single64To16"], 1, true, X);
        }

        Target(s, $"pickup on an idle system, submit → started_at, p50 ms ({plan["pickupSamples"]} jobs)", jobs["pickup.p50"], 5, false, F);
        var events = last?["events"];
        if (events?["p95"] is not null)
        {
            var p95 = events["p95"]!.GetValue<double>();
            s.AppendLine(CultureInfo.InvariantCulture, $"| event latency p95 ms, measured once (run {lastIndex}) | {F(events["p95"])} | – | ≤ 50 | {Verdict(p95, 50, false)} |");
        }
        else
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| event latency p95 ms, measured once (run {lastIndex}) | {(events?["error"] is { } e ? $"failed: {Cell(e.GetValue<string>(), 120)}" : "not measured")} | – | ≤ 50 | |");
        }

        s.AppendLine(CultureInfo.InvariantCulture, $"| worker RSS MiB, highest at the end of any scenario | {F0(jobs["rss.workerMax"]?["median"])} | {Spread(jobs["rss.workerMax"], F0)} | ≤ 150 with 100 slots | not comparable: {plan["slots"]} slots a worker here |");
        s.AppendLine();

        s.AppendLine("| Jobs, other figures | median | min – max |");
        s.AppendLine("| --- | --- | --- |");
        foreach (var (key, value) in last?["submit"]?.AsObject() ?? [])
        {
            if (key is "single_16" or "batch_16" or "batch_64")
            {
                continue;
            }

            var what = key.StartsWith("batch", StringComparison.Ordinal) ? "POST /api/jobs/batch (100 a request)" : "POST /api/jobs";
            s.AppendLine(CultureInfo.InvariantCulture, $"| {what}, {value!["clients"]} client(s), {value["jobs"]} jobs: p50 / p99 ms, jobs/s | {F(jobs[$"submit.{key}.p50"]?["median"])} / {F(jobs[$"submit.{key}.p99"]?["median"])}, {F0(jobs[$"submit.{key}.jobsPerSecond"]?["median"])} | {Spread(jobs[$"submit.{key}.p50"], F)} / {Spread(jobs[$"submit.{key}.p99"], F)}, {Spread(jobs[$"submit.{key}.jobsPerSecond"], F0)} |");
        }

        Row(s, "POST /api/jobs/batch, 16 clients: p50 / p99 ms", jobs, ["submit.batch_16.p50", "submit.batch_16.p99"], F);
        Row(s, "commits per job during the work-down (pg_stat_database, whole database)", jobs, ["throughput.commitsPerJob"], F);
        Row(s, "Redis commands per job during the work-down (INFO commandstats)", jobs, ["throughput.redisCommandsPerJob"], F);
        Row(s, $"SQL statements per job (pg_stat_statements, the services' user; the harness runs as {StatementCost.HarnessUser}), with / without BEGIN, COMMIT and DISCARD ALL", jobs, ["throughput.statementsPerJob", "throughput.statementsPerJobWithoutSessionControl"], F);
        Row(s, "server execution time per job, ms (pg_stat_statements)", jobs, ["throughput.execMsPerJob"], F);
        if (last?["throughput"]?["sqlStatements"]?["top"] is JsonArray top)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| top 5 statements by calls per job, run {lastIndex} (calls per job × mean ms) | {string.Join("<br>", top.Take(5).Select(Statement))} | |");
        }

        Row(s, "pickup p95 / p99 ms", jobs, ["pickup.p95", "pickup.p99"], F);
        Row(s, $"{plan["workspaces"]} workspaces: jobs processing across them while busy, mean (slots: {plan["workers"]!.GetValue<int>() * plan["slots"]!.GetValue<int>()})", jobs, ["workspaces.meanProcessingWhileBusy"], F0);
        Row(s, $"history: rows inserted in / VACUUM (ANALYZE) in, s", jobs, ["history.insertSeconds", "history.vacuumSeconds"], F);
        Row(s, "history: POST /api/jobs, 16 clients: p50 / p99 ms", jobs, ["history.single.p50", "history.single.p99"], F);
        Row(s, "history: POST /api/jobs, 16 clients / POST /api/jobs/batch, 16 clients: jobs/s", jobs, ["history.single.jobsPerSecond", "history.batch.jobsPerSecond"], F0);
        Row(s, "history ÷ plain: single submits, batch submits (per run)", jobs, ["ratio.historySingleToPlain", "ratio.historyBatchToPlain"], X);
        Row(s, "history: SQL statements per job, server execution ms per job", jobs, ["history.statementsPerJob", "history.execMsPerJob"], F);
        if (last?["history"]?["sqlStatements"]?["topByTime"] is JsonArray slow)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| history: top 5 statements by server time, run {lastIndex} (calls per job × mean ms) | {string.Join("<br>", slow.Take(5).Select(Statement))} | |");
        }

        ReportContinuous(s, last?["continuous"], lastIndex);
        if (last?["rss_mib_by_scenario"] is JsonObject rss)
        {
            var memory = rss.Select(kv => $"{kv.Key}: API {F0(kv.Value!["api"])}{(kv.Value["workers"]!.AsArray().Count > 0 ? $", workers {string.Join(" + ", kv.Value["workers"]!.AsArray().Select(F0))}" : "")}");
            s.AppendLine(CultureInfo.InvariantCulture, $"| RSS MiB at the end of each scenario, run {lastIndex} | {string.Join("; ", memory)} | |");
        }

        foreach (var failed in runs.SelectMany(r => new[] { "throughput", "workspaces", "history", "events", "continuous" }
                     .Where(k => r!["jobs"]?[k]?["error"] is not null)
                     .Select(k => $"run {r!["run"]}, {k}: {Cell(r["jobs"]![k]!["error"]!.GetValue<string>(), 200)}")))
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| failed | {failed} | |");
        }

        s.AppendLine();
        ReportSystems(s, run, summary, jobs);
        return s.ToString();
    }

    private static void ReportSystems(StringBuilder s, JsonObject run, JsonNode summary, JsonNode jobs)
    {
        var plan = run["plan"]!;
        var services = run["services"]!;
        s.AppendLine("| system | version | single submit, 16 clients: p50 / p99 ms, jobs/s | work-down of the same backlog, jobs/s | min – max | Jobs ÷ system (per run) | commits/job | Redis cmds/job | configured as |");
        s.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        var t = jobs["throughput.jobsPerSecond"];
        var timedOut = run["runs"]!.AsArray().Count(r => r!["jobs"]?["throughput"]?["timedOut"]?.GetValue<bool>() == true);
        s.AppendLine(CultureInfo.InvariantCulture,
            $"| **Jobs** | this commit | {F(jobs["submit.single_16.p50"]?["median"])} / {F(jobs["submit.single_16.p99"]?["median"])}, {F0(jobs["submit.single_16.jobsPerSecond"]?["median"])} (HTTP) | **{F0(t?["median"])}**{(timedOut > 0 ? $" ({timedOut} run(s) hit the deadline)" : "")} | {Spread(t, F0)} | 1 | {F(jobs["throughput.commitsPerJob"]?["median"])} | {F(jobs["throughput.redisCommandsPerJob"]?["median"])} | {plan["workers"]} worker processes × {plan["slots"]} slots; API and workers {services["configuration"]} builds in {services["environment"]} (nothing seeded: the harness makes the workspace and key), the services' default timings (poll 100 ms, maintenance {F(services["maintenanceIntervalSeconds"])} s); the workspace's limit raised to {plan["workers"]!.GetValue<int>() * plan["slots"]!.GetValue<int>() + 50} processing |");
        foreach (var (name, peer) in summary["peers"]?.AsObject() ?? [])
        {
            var errors = peer!["errors"]!.AsArray().Where(e => e is not null).Select(e => e!.GetValue<string>()).ToList();
            var w = peer["workDown"]!;
            var note = errors.Count > 0 ? $" ({errors.Count} run(s) failed: {Cell(errors[0], 120)})" : "";
            var late = peer["timedOutRuns"]!.GetValue<int>() is var n and > 0 ? $" ({n} run(s) hit the deadline)" : "";
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {peer["version"]} | {F(peer["submit.p50"]?["median"])} / {F(peer["submit.p99"]?["median"])}, {F0(peer["submit.jobsPerSecond"]?["median"])} (library call) | **{F0(w["median"])}**{late}{note} | {Spread(w, F0)} | {X(peer["jobsRatio"]?["median"])} ({Spread(peer["jobsRatio"], X)}) | {F(peer["commitsPerJob"]?["median"])} | {F(peer["redisCommandsPerJob"]?["median"])} | {peer["config"]} |");
        }

        if (summary["bestPeer"] is { } best)
        {
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"Best peer by work-down in each run: {string.Join(", ", best["byRun"]!.AsArray().Select(b => b?.GetValue<string>() ?? "none"))}; Jobs ÷ best peer (per run): median {X(best["jobsRatio"]?["median"])} ({Spread(best["jobsRatio"], X)}).");
        }
    }

    private static void ReportContinuous(StringBuilder s, JsonNode? c, JsonNode? run)
    {
        if (c is null || c["error"] is not null)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| continuous mode, once (run {run}) | {(c is null ? "not measured" : $"failed: {Cell(c["error"]!.GetValue<string>(), 200)}")} | |");
            return;
        }

        s.AppendLine(CultureInfo.InvariantCulture, $"| continuous mode, once (run {run}): {c["targetRate"]} no-op jobs/s through POST /api/jobs/batch while workers run (offered {F0(c["offeredRate"])}/s, {c["offeredJobs"]} jobs) | {c["completed"]}/{c["offeredJobs"]} completed{(c["drainBoundHit"]!.GetValue<bool>() ? " (drain bound hit)" : "")}, {F0(c["completionRate"])} jobs/s; created_at → completed_at p50 {F(c["p50"])} / p99 {F(c["p99"])} ms | |");
    }

    // A figure with a target: "met", or by how much it is missed. A target of null is shown as "–".
    private static void Target(StringBuilder s, string what, JsonNode? stat, double? target, bool atLeast, Func<JsonNode?, string> format, string scope = "")
    {
        var median = stat?["median"];
        var goal = target is null ? "–" : $"{(atLeast ? "≥" : "≤")} {format(JsonValue.Create(target.Value))}{scope}";
        var verdict = target is null || median is null ? "" : Verdict(median.GetValue<double>(), target.Value, atLeast);
        s.AppendLine(CultureInfo.InvariantCulture, $"| {what} | {format(median)} | {Spread(stat, format)} | {goal} | {verdict} |");
    }

    private static string Verdict(double value, double target, bool atLeast) =>
        (atLeast ? value >= target : value <= target) ? "met"
        : atLeast ? $"**missed**: {value / target:0.00}× of it" : $"**missed**: {value / target:0.0}× over";

    private static void Row(StringBuilder s, string what, JsonNode jobs, string[] keys, Func<JsonNode?, string> format)
    {
        if (keys.All(k => jobs[k]?["median"] is null))
        {
            return;
        }

        s.AppendLine(CultureInfo.InvariantCulture, $"| {what} | {string.Join(" / ", keys.Select(k => format(jobs[k]?["median"])))} | {string.Join(" / ", keys.Select(k => Spread(jobs[k], format)))} |");
    }

    private static string Statement(JsonNode? q) => $"{F(q!["perJob"])} × {F(q["meanMs"])} ms `{Cell(q["query"]!.GetValue<string>(), 90)}`";

    private static string Spread(JsonNode? stat, Func<JsonNode?, string> format) =>
        stat?["min"] is null ? "–" : $"{format(stat["min"])} – {format(stat["max"])}";

    private static string Load(JsonNode? loadAverage) => loadAverage?.GetValue<string>().Split(' ')[0] ?? "?";

    // A table cell: one line, no pipe that would end it.
    private static string Cell(string text, int max)
    {
        var flat = text.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal);
        return flat.Length <= max ? flat : flat[..(max - 1)] + "…";
    }

    private static string F(JsonNode? n) => n is null ? "–" : n.GetValue<double>().ToString("0.##", CultureInfo.InvariantCulture);

    private static string F0(JsonNode? n) => n is null ? "–" : n.GetValue<double>().ToString("#,0", CultureInfo.InvariantCulture);

    private static string X(JsonNode? n) => n is null ? "–" : n.GetValue<double>().ToString("0.00", CultureInfo.InvariantCulture) + "×";
}
