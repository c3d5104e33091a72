using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Compare;
using Jobs.Soak;

// --chart <result.json>: only renders that file's chart next to it (latest.svg), no run.
if (args is ["--chart", var resultFile])
{
    var saved = JsonNode.Parse(await File.ReadAllTextAsync(resultFile))!.AsObject();
    await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(resultFile))!, "latest.svg"), Chart.Svg(saved));
    return;
}

// Usage: Jobs.Compare [--quick] [--results <dir>] [--peers <dir>] [--only jobs|bullmq,hangfire,...] [--backlog <rows>]
var quick = args.Contains("--quick");
string Option(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
var results = Path.GetFullPath(Option("--results", "bench/results"));
var peersDirectory = Path.GetFullPath(Option("--peers", "bench/peers"));
var only = Option("--only", "jobs," + string.Join(',', Peers.Names)).Split(',');
var plan = Plan.For(quick);
// --backlog <rows>: the backlog scenario with that many rows, in the quick plan too (with a smaller fresh set there).
if (int.TryParse(Option("--backlog", ""), System.Globalization.CultureInfo.InvariantCulture, out var backlogRows))
{
    plan = plan with
    {
        BacklogRows = backlogRows,
        BacklogSingles = plan.BacklogSingles > 0 ? plan.BacklogSingles : 200,
        BacklogBatches = plan.BacklogBatches > 0 ? plan.BacklogBatches : 5,
    };
}

var clock = Stopwatch.StartNew();
void Progress(string message) => Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] {message}");

var run = new JsonObject
{
    ["startedAt"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
    ["quick"] = quick,
    ["plan"] = JsonSerializer.SerializeToNode(new
    {
        workers = plan.Workers,
        slots = plan.Slots,
        clients = plan.ClientCounts,
        backlogJobs = plan.BacklogJobs,
        batchSize = plan.BatchSize,
        pickupSamples = plan.PickupSamples,
        peerLatencyJobs = plan.PeerLatencyJobs,
        workDownDeadlineSeconds = plan.WorkDownDeadline.TotalSeconds,
        eventJobs = plan.EventJobs,
        eventItems = plan.EventItems,
        eventDelayMs = plan.EventDelayMs,
        continuousRate = plan.ContinuousRate,
        continuousSeconds = plan.ContinuousDuration.TotalSeconds,
        continuousDrainSeconds = plan.ContinuousDrain.TotalSeconds,
        backlogRows = plan.BacklogRows,
        backlogSingles = plan.BacklogSingles,
        backlogBatches = plan.BacklogBatches,
    }),
};

Progress("starting PostgreSQL, Redis and the API");
await using (var cluster = await ProcessCluster.StartAsync(new ClusterOptions
{
    Workers = 0,
    Slots = plan.Slots,
    MaxConcurrentJobs = plan.Workers * plan.Slots + 50,
    // Production-like timings, not the chaos suite's shortened ones: maintenance should not dominate a benchmark.
    LeaseDuration = TimeSpan.FromSeconds(30),
    HeartbeatInterval = TimeSpan.FromSeconds(10),
    MaintenanceInterval = TimeSpan.FromSeconds(5),
    StaleHintAfter = TimeSpan.FromSeconds(30),
    DeadWorkerAfter = TimeSpan.FromSeconds(60),
    ShutdownGracePeriod = TimeSpan.FromSeconds(5),
    // Cost per job reads pg_stat_statements; the harness's own queries run as another user so they are not counted.
    PostgresSettings = [StatementCost.Setting],
    HarnessDatabaseUser = StatementCost.HarnessUser,
}))
{
    await StatementCost.InstallAsync(cluster);
    run["machine"] = await Machine.DescribeAsync(cluster);
    if (only.Contains("jobs"))
    {
        run["jobs"] = await new JobsScenarios(cluster, plan, Progress).RunAsync();
    }

    // The peers get the machine to themselves: Jobs' processes are stopped, the servers stay.
    foreach (var worker in cluster.Workers)
    {
        cluster.SignalWorker(worker, ServiceProcess.SigTerm);
    }

    cluster.Api.StoppedOnPurpose = true;
    cluster.Api.Signal(ServiceProcess.SigTerm);
    run["peers"] = await new Peers(cluster, plan, peersDirectory, Progress).RunAsync(Peers.Names.Where(only.Contains));
}

run["seconds"] = clock.Elapsed.TotalSeconds;
Directory.CreateDirectory(results);
var text = run.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
await File.WriteAllTextAsync(Path.Combine(results, $"{stamp}{(quick ? "-quick" : "")}.json"), text);
await File.WriteAllTextAsync(Path.Combine(results, "latest.json"), text);
if (run["jobs"] is not null)
{
    // From the saved text, as --chart reads it: numbers then convert freely (an in-memory int node is not a double).
    var table = Report.Markdown(JsonNode.Parse(text)!.AsObject());
    await File.WriteAllTextAsync(Path.Combine(results, "latest.md"), table);
    await File.WriteAllTextAsync(Path.Combine(results, $"latest-{(quick ? "quick" : "full")}.md"), table);
    await File.WriteAllTextAsync(Path.Combine(results, "latest.svg"), Chart.Svg(run));
    await File.WriteAllTextAsync(Path.Combine(results, $"latest-{(quick ? "quick" : "full")}.svg"), Chart.Svg(run));
    Console.WriteLine();
    Console.WriteLine(table);
}

Progress($"done; results in {Path.Combine(results, "latest.json")}");
