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
        var p = jobs["pickup"]!;
        s.AppendLine(CultureInfo.InvariantCulture, $"| pickup, {(p["backlogLeft"]?.GetValue<long>() is > 0 ? $"NOT idle ({p["backlogLeft"]} jobs still pending)" : "idle")}, submit → started_at, {p["samples"]} jobs | p50 {F(p["p50"])} / p95 {F(p["p95"])} / p99 {F(p["p99"])} ms | p50 ≤ 5 ms, p99 ≤ 25 ms |");
        var rss = jobs["rss_mib"]!;
        s.AppendLine(CultureInfo.InvariantCulture, $"| RSS at the end | API {F0(rss["api"])} MiB; workers {string.Join(", ", rss["workers"]!.AsArray().Select(F0))} MiB ({run["plan"]!["slots"]} slots each) | worker ≤ 150 MB with 100 slots |");
        s.AppendLine("| event latency (SignalR, 200 jobs reporting) | not measured by bench.sh yet (tools/Jobs.Bench dom-latency measures Redis → DOM) | p95 ≤ 50 ms |");
        s.AppendLine("| backlog of 1,000,000 pending | not measured yet | no rate drops > 20 % |");
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

    private static string F(JsonNode? n) => n is null ? "–" : n.GetValue<double>().ToString("0.##", CultureInfo.InvariantCulture);

    private static string F0(JsonNode? n) => n is null ? "–" : n.GetValue<double>().ToString("#,0", CultureInfo.InvariantCulture);
}
