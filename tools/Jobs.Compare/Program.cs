using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Compare;
using Jobs.Testing.Processes;

// --chart <result.json>: only renders that file's chart next to it (latest.svg), no run.
if (args is ["--chart", var resultFile])
{
    var file = JsonNode.Parse(await File.ReadAllTextAsync(resultFile))!.AsObject();
    await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(resultFile))!, "latest.svg"), Chart.Svg(file));
    return;
}

// Usage: Jobs.Compare [--quick] [--results <dir>] [--peers <dir>] [--only jobs,bullmq,...] [--runs <n>]
var quick = args.Contains("--quick");
string Option(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
var results = Path.GetFullPath(Option("--results", "bench/results"));
var peersDirectory = Path.GetFullPath(Option("--peers", "bench/peers"));
var only = Option("--only", "jobs," + string.Join(',', Peers.Names)).Split(',');
var plan = Plan.For(quick);
// --runs <n>: fewer (or more) runs than the plan's three, to check a piece quickly; medians of one run are that run.
if (int.TryParse(Option("--runs", ""), System.Globalization.CultureInfo.InvariantCulture, out var runCount) && runCount > 0)
{
    plan = plan with { Runs = runCount };
}

var clock = Stopwatch.StartNew();
void Progress(string message) => Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] {message}");

// The services as a deployment runs them: the Release builds of the API and worker (Jobs.Testing.Processes records the
// paths of the configuration it was built in, and bench.sh builds Release), in Production, which seeds nothing: the
// cluster makes the measured workspace and its key, the workers register the job types. Timings are the services'
// defaults.
var options = new ClusterOptions
{
    EnvironmentName = ClusterOptions.Production,
    Workers = 0,
    Slots = plan.Slots,
    MaxConcurrentJobs = plan.Workers * plan.Slots + 50,
    LeaseDuration = TimeSpan.FromSeconds(30),
    HeartbeatInterval = TimeSpan.FromSeconds(10),
    MaintenanceInterval = TimeSpan.FromSeconds(1),
    StaleHintAfter = TimeSpan.FromSeconds(30),
    DeadWorkerAfter = TimeSpan.FromSeconds(45),
    ShutdownGracePeriod = TimeSpan.FromSeconds(5),
    RetryBaseDelay = TimeSpan.FromSeconds(2),
    // Cost per job reads pg_stat_statements; the harness's own queries run as another user so they are not counted.
    PostgresSettings = [StatementCost.Setting],
    HarnessDatabaseUser = StatementCost.HarnessUser,
};
var systems = (only.Contains("jobs") ? ["jobs"] : Array.Empty<string>()).Concat(Peers.Names.Where(only.Contains)).ToList();

var run = new JsonObject
{
    ["startedAt"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
    ["quick"] = quick,
    ["plan"] = JsonSerializer.SerializeToNode(new
    {
        runs = plan.Runs,
        workers = plan.Workers,
        slots = plan.Slots,
        clients = plan.ClientCounts,
        backlogJobs = plan.BacklogJobs,
        batchSize = plan.BatchSize,
        pickupSamples = plan.PickupSamples,
        peerLatencyJobs = plan.PeerLatencyJobs,
        workDownDeadlineSeconds = plan.WorkDownDeadline.TotalSeconds,
        workspaces = plan.Workspaces,
        limitSampleIntervalMs = plan.LimitSampleInterval.TotalMilliseconds,
        historyCompleted = plan.HistoryCompleted,
        historyFuture = plan.HistoryFuture,
        eventJobs = plan.EventJobs,
        eventItems = plan.EventItems,
        eventDelayMs = plan.EventDelayMs,
        continuousRate = plan.ContinuousRate,
        continuousSeconds = plan.ContinuousDuration.TotalSeconds,
        continuousDrainSeconds = plan.ContinuousDrain.TotalSeconds,
    }),
    ["services"] = new JsonObject
    {
        ["environment"] = options.EnvironmentName,
        ["configuration"] = JobsRun.BuildConfiguration(ProcessCluster.ApiDll),
        ["apiDll"] = ProcessCluster.ApiDll,
        ["workerDll"] = ProcessCluster.WorkerDll,
        ["maintenanceIntervalSeconds"] = options.MaintenanceInterval.TotalSeconds,
    },
};

Progress($"starting PostgreSQL, Redis and the API ({options.EnvironmentName}, {run["services"]!["configuration"]}); {plan.Runs} runs of {string.Join(", ", systems)}");
await using (var cluster = await ProcessCluster.StartAsync(options))
{
    await StatementCost.InstallAsync(cluster);
    run["machine"] = await Machine.DescribeAsync(cluster);
    var jobs = new JobsRun(cluster, plan, Progress);
    var peers = new Peers(cluster, plan, peersDirectory, Progress);
    var runs = new JsonArray();
    for (var index = 1; index <= plan.Runs; index++)
    {
        // Interleaved and rotated: each system runs once per run, and no system is always first or last.
        var order = systems.Skip((index - 1) % Math.Max(1, systems.Count)).Concat(systems.Take((index - 1) % Math.Max(1, systems.Count))).ToList();
        Progress($"run {index} of {plan.Runs}: {string.Join(", ", order)}");
        var entry = new JsonObject
        {
            ["run"] = index,
            ["order"] = new JsonArray([.. order.Select(o => (JsonNode)o)]),
            ["startedAt"] = DateTimeOffset.UtcNow.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
            ["loadAverage"] = File.ReadAllText("/proc/loadavg").Trim(),
        };
        var peerResults = new JsonObject();
        foreach (var system in order)
        {
            if (system == "jobs")
            {
                entry["jobs"] = await jobs.RunAsync(once: index == plan.Runs);
            }
            else
            {
                // The peers get the machine to themselves: Jobs' processes are stopped, the servers stay.
                await jobs.StopServicesAsync();
                peerResults[system] = await peers.RunAsync(system);
            }
        }

        entry["peers"] = peerResults;
        entry["seconds"] = clock.Elapsed.TotalSeconds;
        runs.Add(entry);
    }

    run["runs"] = runs;
}

run["seconds"] = clock.Elapsed.TotalSeconds;
// From the saved form on, as --chart reads it: numbers then convert freely (an in-memory int node is not a double).
var result = JsonNode.Parse(run.ToJsonString())!.AsObject();
result["summary"] = Summary.Of(result);
Directory.CreateDirectory(results);
var text = result.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
await File.WriteAllTextAsync(Path.Combine(results, $"{stamp}{(quick ? "-quick" : "")}.json"), text);
await File.WriteAllTextAsync(Path.Combine(results, "latest.json"), text);
var saved = JsonNode.Parse(text)!.AsObject();
if (saved["summary"]?["jobs"] is not null)
{
    var table = Report.Markdown(saved);
    await File.WriteAllTextAsync(Path.Combine(results, "latest.md"), table);
    await File.WriteAllTextAsync(Path.Combine(results, $"latest-{(quick ? "quick" : "full")}.md"), table);
    await File.WriteAllTextAsync(Path.Combine(results, "latest.svg"), Chart.Svg(saved));
    await File.WriteAllTextAsync(Path.Combine(results, $"latest-{(quick ? "quick" : "full")}.svg"), Chart.Svg(saved));
    Console.WriteLine();
    Console.WriteLine(table);
}

Progress($"done; results in {Path.Combine(results, "latest.json")}");
