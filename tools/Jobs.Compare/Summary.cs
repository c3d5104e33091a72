using System.Text.Json.Nodes;

namespace Jobs.Compare;

/// <summary>
/// The runs reduced to what the tables show: each figure as the median of its runs with their min and max, and each
/// ratio between systems (or between two of Jobs' scenarios) computed within a run first, then reduced the same way.
/// </summary>
public static class Summary
{
    public static JsonObject Of(JsonObject run)
    {
        var runs = run["runs"]!.AsArray().Select(r => r!.AsObject()).ToList();
        var summary = new JsonObject();
        if (runs.Any(r => r["jobs"] is not null))
        {
            summary["jobs"] = Figures(runs, JobsFigures(runs.Select(r => r["jobs"]).FirstOrDefault(j => j is not null)!));
            summary["limitsHeldInEveryRun"] = runs.All(r => r["jobs"]?["workspaces"]?["limitsHeld"]?.GetValue<bool>() == true);
        }

        var peers = new JsonObject();
        foreach (var name in Peers.Names.Where(n => runs.Any(r => r["peers"]?[n] is not null)))
        {
            var figures = Figures(runs, new Dictionary<string, Func<JsonObject, double?>>
            {
                ["workDown"] = r => Number(r["peers"]?[name]?["throughput"]?["jobsPerSecond"]),
                ["submit.p50"] = r => Number(r["peers"]?[name]?["submit"]?["p50"]),
                ["submit.p99"] = r => Number(r["peers"]?[name]?["submit"]?["p99"]),
                ["submit.jobsPerSecond"] = r => Number(r["peers"]?[name]?["submit"]?["jobsPerSecond"]),
                ["commitsPerJob"] = r => Number(r["peers"]?[name]?["commitsPerJob"]),
                ["redisCommandsPerJob"] = r => Number(r["peers"]?[name]?["redisCommandsPerJob"]),
                // Jobs' work-down over this peer's, in the same run.
                ["jobsRatio"] = r => Ratio(JobsWorkDown(r), Number(r["peers"]?[name]?["throughput"]?["jobsPerSecond"])),
            });
            var last = runs.Select(r => r["peers"]?[name]).LastOrDefault(p => p?["error"] is null);
            figures["version"] = last?["version"]?.DeepClone();
            figures["config"] = last?["config"]?.DeepClone();
            figures["errors"] = new JsonArray([.. runs.Select(r => r["peers"]?[name]?["error"]?.DeepClone())]);
            figures["timedOutRuns"] = runs.Count(r => r["peers"]?[name]?["throughput"]?["timedOut"]?.GetValue<bool>() == true);
            peers[name] = figures;
        }

        summary["peers"] = peers;
        if (peers.Count > 0 && summary["jobs"] is not null)
        {
            // The best peer is chosen per run, by that run's work-down.
            var best = runs.Select(r => Peers.Names
                    .Select(n => (Name: n, Rate: Number(r["peers"]?[n]?["throughput"]?["jobsPerSecond"])))
                    .Where(p => p.Rate is > 0)
                    .OrderByDescending(p => p.Rate)
                    .FirstOrDefault())
                .ToList();
            summary["bestPeer"] = new JsonObject
            {
                ["byRun"] = new JsonArray([.. best.Select(b => (JsonNode?)b.Name)]),
                ["jobsRatio"] = Stat(runs.Select((r, i) => Ratio(JobsWorkDown(r), best[i].Rate)).ToList()),
            };
        }

        return summary;
    }

    /// <summary>Median, min, max and the runs' own values (null where a run has none).</summary>
    public static JsonObject Stat(IReadOnlyList<double?> values)
    {
        var present = values.Where(v => v is not null && double.IsFinite(v.Value)).Select(v => v!.Value).Order().ToArray();
        double? median = present.Length == 0 ? null
            : present.Length % 2 == 1 ? present[present.Length / 2]
            : (present[(present.Length / 2) - 1] + present[present.Length / 2]) / 2;
        return new JsonObject
        {
            ["median"] = median,
            ["min"] = present.Length == 0 ? null : present[0],
            ["max"] = present.Length == 0 ? null : present[^1],
            ["runs"] = new JsonArray([.. values.Select(v => (JsonNode?)(v is { } x && double.IsFinite(x) ? x : null))]),
        };
    }

    private static JsonObject Figures(IReadOnlyList<JsonObject> runs, IReadOnlyDictionary<string, Func<JsonObject, double?>> figures)
    {
        var result = new JsonObject();
        foreach (var (name, read) in figures)
        {
            result[name] = Stat(runs.Select(read).ToList());
        }

        return result;
    }

    // Each Jobs figure by the path it has in a run's "jobs" object; the submit keys are the ones the plan measured.
    private static Dictionary<string, Func<JsonObject, double?>> JobsFigures(JsonNode sample)
    {
        static JsonNode? J(JsonObject r) => r["jobs"];
        var figures = new Dictionary<string, Func<JsonObject, double?>>();
        foreach (var (key, _) in sample["submit"]!.AsObject())
        {
            foreach (var field in new[] { "p50", "p95", "p99", "jobsPerSecond" })
            {
                figures[$"submit.{key}.{field}"] = r => Number(J(r)?["submit"]?[key]?[field]);
            }
        }

        figures["throughput.jobsPerSecond"] = JobsWorkDown;
        figures["throughput.commitsPerJob"] = r => Number(J(r)?["throughput"]?["commitsPerJob"]);
        figures["throughput.redisCommandsPerJob"] = r => Number(J(r)?["throughput"]?["redisCommandsPerJob"]);
        figures["throughput.statementsPerJob"] = r => Number(J(r)?["throughput"]?["sqlStatements"]?["perJob"]);
        figures["throughput.statementsPerJobWithoutSessionControl"] = r => Number(J(r)?["throughput"]?["sqlStatements"]?["perJobWithoutSessionControl"]);
        figures["throughput.execMsPerJob"] = r => Number(J(r)?["throughput"]?["sqlStatements"]?["execMsPerJob"]);
        figures["pickup.p50"] = r => Number(J(r)?["pickup"]?["p50"]);
        figures["pickup.p95"] = r => Number(J(r)?["pickup"]?["p95"]);
        figures["pickup.p99"] = r => Number(J(r)?["pickup"]?["p99"]);
        figures["workspaces.jobsPerSecond"] = r => Number(J(r)?["workspaces"]?["jobsPerSecond"]);
        figures["workspaces.maxProcessing"] = r => Number(J(r)?["workspaces"]?["maxProcessing"]);
        figures["workspaces.meanProcessingWhileBusy"] = r => Number(J(r)?["workspaces"]?["meanProcessingWhileBusy"]);
        figures["workspaces.samples"] = r => Number(J(r)?["workspaces"]?["samples"]);
        figures["workspaces.sampleIntervalMs"] = r => Number(J(r)?["workspaces"]?["sampleIntervalMs"]);
        figures["history.jobsPerSecond"] = r => Number(J(r)?["history"]?["jobsPerSecond"]);
        figures["history.single.p50"] = r => Number(J(r)?["history"]?["single"]?["p50"]);
        figures["history.single.p99"] = r => Number(J(r)?["history"]?["single"]?["p99"]);
        figures["history.single.jobsPerSecond"] = r => Number(J(r)?["history"]?["single"]?["jobsPerSecond"]);
        figures["history.batch.jobsPerSecond"] = r => Number(J(r)?["history"]?["batch"]?["jobsPerSecond"]);
        figures["history.statementsPerJob"] = r => Number(J(r)?["history"]?["sqlStatements"]?["perJob"]);
        figures["history.execMsPerJob"] = r => Number(J(r)?["history"]?["sqlStatements"]?["execMsPerJob"]);
        figures["history.insertSeconds"] = r => Number(J(r)?["history"]?["insertSeconds"]);
        figures["history.vacuumSeconds"] = r => Number(J(r)?["history"]?["vacuumSeconds"]);
        figures["rss.workerMax"] = r => Rss(J(r), "workers");
        figures["rss.apiMax"] = r => Rss(J(r), "api");
        // Within a run: the same work-down on a production-like table, over 20 workspaces; 64 clients against 16.
        figures["ratio.historyToPlain"] = r => Ratio(Number(J(r)?["history"]?["jobsPerSecond"]), JobsWorkDown(r));
        figures["ratio.workspacesToPlain"] = r => Ratio(Number(J(r)?["workspaces"]?["jobsPerSecond"]), JobsWorkDown(r));
        figures["ratio.historySingleToPlain"] = r => Ratio(Number(J(r)?["history"]?["single"]?["jobsPerSecond"]), Number(J(r)?["submit"]?["single_16"]?["jobsPerSecond"]));
        figures["ratio.historyBatchToPlain"] = r => Ratio(Number(J(r)?["history"]?["batch"]?["jobsPerSecond"]), Number(J(r)?["submit"]?["batch_16"]?["jobsPerSecond"]));
        figures["ratio.single64To16"] = r => Ratio(Number(J(r)?["submit"]?["single_64"]?["jobsPerSecond"]), Number(J(r)?["submit"]?["single_16"]?["jobsPerSecond"]));
        return figures;
    }

    private static double? JobsWorkDown(JsonObject run) => Number(run["jobs"]?["throughput"]?["jobsPerSecond"]);

    // The highest RSS of that process kind at the end of any scenario of the run, in MiB.
    private static double? Rss(JsonNode? jobs, string kind)
    {
        var values = (jobs?["rss_mib_by_scenario"]?.AsObject() ?? [])
            .SelectMany(s => s.Value?[kind] is JsonArray a ? a.Select(Number) : [Number(s.Value?[kind])])
            .Where(v => v is not null)
            .ToList();
        return values.Count == 0 ? null : values.Max();
    }

    private static double? Ratio(double? a, double? b) => a is { } x && b is > 0 ? x / b.Value : null;

    private static double? Number(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
}
