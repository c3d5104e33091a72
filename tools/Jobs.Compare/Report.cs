using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Jobs.Compare;

/// <summary>The result file rendered as the two Markdown tables README shows.</summary>
public static class Report
{
    public static string Markdown(JsonObject run)
    {
        var jobs = run["jobs"]!;
        var peers = run["peers"]?.AsObject() ?? [];
        var s = new StringBuilder();
        var m = run["machine"]!;
        s.AppendLine(CultureInfo.InvariantCulture, $"Run {run["startedAt"]} ({(run["quick"]!.GetValue<bool>() ? "--quick" : "full")}), {m["cores"]} cores ({m["cpu"]}), {m["memoryGiB"]} GiB, load at start {m["loadAverage"]}; {m["os"]}; {m["dotnet"]}, Node {m["node"]}, PostgreSQL {m["postgres"]}, Redis {m["redis"]}.");
        s.AppendLine();
        s.AppendLine("| Jobs scenario | measured | target (issue 8) |");
        s.AppendLine("| --- | --- | --- |");
        foreach (var (key, value) in jobs["submit"]!.AsObject())
        {
            var what = key.StartsWith("batch", StringComparison.Ordinal) ? "POST /api/jobs/batch (100 a request)" : "POST /api/jobs";
            var target = key switch
            {
                "single_16" => "p50 ≤ 3 ms, p99 ≤ 15 ms; ≥ 3,000 jobs/s",
                "batch_16" or "batch_64" => "≥ 30,000 jobs/s",
                _ => "",
            };
            s.AppendLine(CultureInfo.InvariantCulture, $"| {what}, {value!["clients"]} client(s), {value["jobs"]} jobs | p50 {F(value["p50"])} / p95 {F(value["p95"])} / p99 {F(value["p99"])} ms per request; {F0(value["jobsPerSecond"])} jobs/s | {target} |");
        }

        var t = jobs["throughput"]!;
        s.AppendLine(CultureInfo.InvariantCulture, $"| throughput: {t["jobs"]} pending no-op jobs, {run["plan"]!["workers"]} workers × {run["plan"]!["slots"]} slots | {t["completed"]} done in {F(t["seconds"])} s: {F0(t["jobsPerSecond"])} jobs/s{(t["timedOut"]!.GetValue<bool>() ? " (deadline hit)" : "")} | ≥ 5,000 jobs/s and ≥ 1.0× the best peer |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| commits per job (pg_stat_database xact_commit, whole database, during the work-down) | {F(t["commitsPerJob"])} | ≤ 2 |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| Redis commands per job (INFO commandstats, during the work-down) | {F(t["redisCommandsPerJob"])} | |");
        if (t["sqlStatements"] is { } sql)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| SQL statements per job (pg_stat_statements, top-level, during the work-down; the services' user only, the harness's polling runs as {StatementCost.HarnessUser}) | {F(sql["perJob"])} ({F(sql["perJobWithoutSessionControl"])} without BEGIN/COMMIT and Npgsql's DISCARD ALL) | |");
            var top = sql["top"]!.AsArray().Take(5).Select(q => $"{F(q!["perJob"])} × `{Cell(q["query"]!.GetValue<string>(), 90)}`");
            s.AppendLine(CultureInfo.InvariantCulture, $"| top 5 statements by calls per job | {string.Join("<br>", top)} | |");
        }
        var p = jobs["pickup"]!;
        s.AppendLine(CultureInfo.InvariantCulture, $"| pickup, {(p["backlogLeft"]?.GetValue<long>() is > 0 ? $"NOT idle ({p["backlogLeft"]} jobs still pending)" : "idle")}, submit → started_at, {p["samples"]} jobs | p50 {F(p["p50"])} / p95 {F(p["p95"])} / p99 {F(p["p99"])} ms | p50 ≤ 5 ms, p99 ≤ 25 ms |");
        ReportEvents(s, jobs["events"]);
        ReportContinuous(s, jobs["continuous"]);
        ReportBacklog(s, jobs["backlog"]);
        var byScenario = jobs["rss_mib_by_scenario"]?.AsObject() ?? new JsonObject { ["end"] = jobs["rss_mib"]!.DeepClone() };
        var memory = byScenario.Select(kv => $"{kv.Key}: API {F0(kv.Value!["api"])}{(kv.Value["workers"]!.AsArray().Count > 0 ? $", workers {string.Join(" + ", kv.Value["workers"]!.AsArray().Select(F0))}" : ", no workers")}");
        s.AppendLine(CultureInfo.InvariantCulture, $"| RSS (MiB) at the end of each scenario ({run["plan"]!["slots"]} slots a worker) | {string.Join("; ", memory)} | worker ≤ 150 MB with 100 slots |");
        s.AppendLine();
        s.AppendLine("| system | version | single enqueue, 16 clients: p50 / p99 ms, jobs/s | work-down of the same backlog | jobs/s | commits/job | Redis cmds/job | configured as |");
        s.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        var single = jobs["submit"]!["single_16"]!;
        s.AppendLine(CultureInfo.InvariantCulture, $"| **Jobs** | this commit (Release) | {F(single["p50"])} / {F(single["p99"])}, {F0(single["jobsPerSecond"])} (HTTP) | {t["completed"]}/{t["jobs"]} in {F(t["seconds"])} s | **{F0(t["jobsPerSecond"])}** | {F(t["commitsPerJob"])} | {F(t["redisCommandsPerJob"])} | {run["plan"]!["workers"]} worker processes × {run["plan"]!["slots"]} slots, Worker__PollInterval 100 ms, API and workers in Development |");
        foreach (var (name, peer) in peers)
        {
            if (peer!["error"] is { } error)
            {
                s.AppendLine(CultureInfo.InvariantCulture, $"| {name} | | failed: {error.ToString().ReplaceLineEndings(" ")[..Math.Min(200, error.ToString().Length)]} | | | | | |");
                continue;
            }

            var e = peer["submit"]!;
            var w = peer["throughput"]!;
            s.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {peer["version"]} | {F(e["p50"])} / {F(e["p99"])}, {F0(e["jobsPerSecond"])} (library call) | {w["completed"]}/{w["jobs"]} in {F(w["seconds"])} s{(w["timedOut"]!.GetValue<bool>() ? " (deadline hit)" : "")} | **{F0(w["jobsPerSecond"])}** | {F(peer["commitsPerJob"])} | {F(peer["redisCommandsPerJob"])} | {peer["config"]} |");
        }

        return s.ToString();
    }

    private static void ReportEvents(StringBuilder s, JsonNode? e)
    {
        const string What = "event latency: progress write (updated_at, now() in PostgreSQL) → jobUpdated received by one workspace-wide SignalR client";
        if (e is null || e["error"] is not null)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| {What} | {(e is null ? "not measured" : $"failed: {Cell(e["error"]!.GetValue<string>(), 200)}")} | p95 ≤ 50 ms |");
            return;
        }

        s.AppendLine(CultureInfo.InvariantCulture, $"| {What}, {e["jobs"]} demo jobs × {e["items"]} items × {e["delayMs"]} ms | p50 {F(e["p50"])} / p95 {F(e["p95"])} / p99 {F(e["p99"])} ms over {e["samples"]} updates ({e["completed"]}/{e["jobs"]} jobs completed) | p95 ≤ 50 ms |");
    }

    private static void ReportContinuous(StringBuilder s, JsonNode? c)
    {
        if (c is null || c["error"] is not null)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| continuous mode | {(c is null ? "not measured" : $"failed: {Cell(c["error"]!.GetValue<string>(), 200)}")} | |");
            return;
        }

        s.AppendLine(CultureInfo.InvariantCulture, $"| continuous mode: {c["targetRate"]} no-op jobs/s through POST /api/jobs/batch while workers run (offered {F0(c["offeredRate"])}/s, {c["offeredJobs"]} jobs) | {c["completed"]}/{c["offeredJobs"]} completed{(c["drainBoundHit"]!.GetValue<bool>() ? " (drain bound hit)" : "")}, {F0(c["completionRate"])} jobs/s (first created_at → last completed_at); created_at → completed_at p50 {F(c["p50"])} / p99 {F(c["p99"])} ms | |");
    }

    private static void ReportBacklog(StringBuilder s, JsonNode? b)
    {
        const string Target = "no rate drops > 20 %";
        if (b is null || b["skipped"] is not null || b["error"] is not null)
        {
            var why = b?["skipped"] is { } skipped ? $"skipped: {skipped}" : b?["error"] is { } error ? $"failed: {Cell(error.GetValue<string>(), 200)}" : "not measured";
            s.AppendLine(CultureInfo.InvariantCulture, $"| backlog of 1,000,000 pending | {why} | {Target} |");
            return;
        }

        var empty = b["empty"]!;
        var loaded = b["loaded"]!;
        var drop = b["dropPercent"]!;
        s.AppendLine(CultureInfo.InvariantCulture, $"| backlog: {b["rows"]} pending demo jobs due in 10 years, never hinted, inserted in {F(b["insertSeconds"])} s (+ VACUUM ANALYZE {F(b["vacuumSeconds"])} s); rates with none pending → with them | | |");
        void Row(string what, string key) => s.AppendLine(CultureInfo.InvariantCulture,
            $"| backlog: {what} | {F0(empty[key])} → {F0(loaded[key])} jobs/s (drop {F(drop[key])} %) | {Target} |");
        Row($"POST /api/jobs, 16 clients, {empty["singleJobs"]} jobs", "singleJobsPerSecond");
        Row($"POST /api/jobs/batch (100 a request), 16 clients, {empty["batchJobs"]} jobs", "batchJobsPerSecond");
        Row($"claim and work-down of those {empty["workDownJobs"]} fresh jobs (first started_at → last completed_at){(loaded["workDownBoundHit"]!.GetValue<bool>() || empty["workDownBoundHit"]!.GetValue<bool>() ? ", 60 s bound hit" : "")}", "workDownJobsPerSecond");
    }

    // A table cell: one line, no pipe that would end it.
    private static string Cell(string text, int max)
    {
        var flat = text.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal);
        return flat.Length <= max ? flat : flat[..(max - 1)] + "…";
    }

    private static string F(JsonNode? n) => n is null ? "–" : n.GetValue<double>().ToString("0.##", CultureInfo.InvariantCulture);

    private static string F0(JsonNode? n) => n is null ? "–" : n.GetValue<double>().ToString("#,0", CultureInfo.InvariantCulture);
}
