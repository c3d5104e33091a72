using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Jobs.Client;
using Jobs.Testing.Processes;
using Npgsql;

namespace Jobs.Compare;

/// <summary>
/// The throughput scenario's backlog spread evenly over <see cref="Plan.Workspaces"/> new workspaces at their default
/// limits (5 jobs processing at once: docs/design.md, "Admission, limits and fairness"), worked down by the same
/// workers. While it runs, every workspace's processing jobs are counted in one statement every
/// <see cref="Plan.LimitSampleInterval"/>: the highest count seen per workspace is held against its limit. The rate is
/// taken as in the throughput scenario, over the span the database saw (first started_at → last completed_at of these
/// workspaces' jobs).
/// </summary>
public sealed class WorkspacesScenario(ProcessCluster cluster, Plan plan, Action<string> progress)
{

    // One snapshot of every workspace's processing count (the partial index of processing jobs answers it).
    private const string ProcessingSql = """
        SELECT workspace_id, count(*)
        FROM jobs
        WHERE status = 'processing'
        GROUP BY 1
        """;

    public async Task<JsonObject> RunAsync(HttpClient http)
    {
        var cancelled = await WorkerControl.QuiesceAsync(cluster);
        var workspaces = Enumerable.Range(1, plan.Workspaces)
            .Select(i => new WorkspaceSpec(Guid.CreateVersion7(), $"bench-{i:00}", $"bench_{i:00}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}"))
            .ToList();
        foreach (var workspace in workspaces)
        {
            await cluster.WorkspaceCreateAsync(workspace);
        }

        var ids = workspaces.Select(w => w.Id).ToArray();
        var limits = (await Sql.RowsAsync(cluster, "SELECT id, max_concurrent_jobs FROM workspaces WHERE id = ANY(@ids)", ("ids", ids)))
            .ToDictionary(r => (Guid)r[0]!, r => (int)r[1]!);

        var total = plan.BacklogJobs;
        progress($"jobs: {total} pending over {workspaces.Count} workspaces (limits {string.Join('/', limits.Values.Distinct())}); starting {plan.Workers} workers × {plan.Slots} slots");
        var submitClock = Stopwatch.StartNew();
        await SubmitAsync(http, workspaces, total);
        var submitSeconds = submitClock.Elapsed.TotalSeconds;

        using var stop = new CancellationTokenSource();
        var sampling = SampleAsync(limits.Keys.ToHashSet(), stop.Token);
        var clock = Stopwatch.StartNew();
        await WorkerControl.StartAsync(cluster, plan.Workers);
        var started = clock.Elapsed;
        while (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE workspace_id = ANY(@ids) AND status IN ('pending', 'processing')", ("ids", ids)) > 0
               && clock.Elapsed < plan.WorkDownDeadline + started)
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        var samples = await sampling;
        var row = (await Sql.RowsAsync(cluster, """
            SELECT count(*), coalesce(extract(epoch FROM max(completed_at) - min(started_at))::float8, 0)
            FROM jobs
            WHERE workspace_id = ANY(@ids)
              AND status = 'completed'
            """, ("ids", ids)))[0];
        var done = (long)row[0]!;
        var span = (double)row[1]!;
        var max = workspaces.ToDictionary(w => w.Id, w => samples.Max.GetValueOrDefault(w.Id));
        var held = max.All(m => m.Value <= limits[m.Key]);
        progress($"jobs: {done}/{total} done over {workspaces.Count} workspaces in {span:F2} s ({done / Math.Max(span, 1e-9):F0} jobs/s); "
                 + $"most processing in one workspace {max.Values.Max()} (limit {limits.Values.Min()}), {samples.Count} samples: limits {(held ? "held" : "EXCEEDED")}");
        return new JsonObject
        {
            ["workspaces"] = workspaces.Count,
            ["jobs"] = total,
            ["cancelledBefore"] = cancelled,
            ["submitSeconds"] = submitSeconds,
            ["completed"] = done,
            ["seconds"] = span,
            ["jobsPerSecond"] = done / Math.Max(span, 1e-9),
            ["timedOut"] = done < total,
            ["samples"] = samples.Count,
            ["sampleIntervalMs"] = samples.Count > 1 ? samples.Seconds * 1000 / (samples.Count - 1) : null,
            ["meanProcessingWhileBusy"] = samples.MeanBusy,
            ["peakProcessing"] = samples.Totals.DefaultIfEmpty().Max(),
            ["limitsHeld"] = held,
            ["samplesOverLimit"] = samples.OverLimit,
            ["maxProcessing"] = max.Values.Max(),
            ["byWorkspace"] = new JsonArray([.. workspaces.Select(w => (JsonNode)new JsonObject
            {
                ["name"] = w.Name,
                ["limit"] = limits[w.Id],
                ["maxProcessing"] = max[w.Id],
            })]),
        };
    }

    // The backlog through the batch endpoint, each workspace with its own key; a few workspaces at a time.
    private async Task SubmitAsync(HttpClient http, IReadOnlyList<WorkspaceSpec> workspaces, int total)
    {
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(workspaces.Select(async (workspace, index) =>
        {
            await gate.WaitAsync();
            try
            {
                var jobs = total / workspaces.Count + (index < total % workspaces.Count ? 1 : 0);
                var client = new JobsClient(http, workspace.ApiKey);
                for (var left = jobs; left > 0; left -= plan.BatchSize)
                {
                    try
                    {
                        await client.SubmitBatchAsync(JobsRequests.Batch(JobsRequests.NoOp, Math.Min(left, plan.BatchSize)));
                    }
                    catch (JobsApiException e)
                    {
                        throw new InvalidOperationException($"POST /api/jobs/batch as {workspace.Name} answered {e.Message}", e);
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    private sealed class Samples
    {
        public Dictionary<Guid, long> Max { get; } = [];

        public int Count { get; set; }

        public double Seconds { get; set; }

        /// <summary>The scenario's workspaces' processing jobs in each sample, in order.</summary>
        public List<long> Totals { get; } = [];

        /// <summary>Mean of <see cref="Totals"/> from the first sample with work running to the last: how full the slots were.</summary>
        public double? MeanBusy
        {
            get
            {
                var first = Totals.FindIndex(t => t > 0);
                var last = Totals.FindLastIndex(t => t > 0);
                return first < 0 ? null : Totals.Skip(first).Take(last - first + 1).Average();
            }
        }

        public int OverLimit { get; set; }
    }

    // Counts on one connection until stopped, one snapshot every interval (a slow answer delays the next, never skips it).
    private async Task<Samples> SampleAsync(HashSet<Guid> ours, CancellationToken stop)
    {
        var samples = new Samples();
        var limits = (await Sql.RowsAsync(cluster, "SELECT id, max_concurrent_jobs FROM workspaces")).ToDictionary(r => (Guid)r[0]!, r => (int)r[1]!);
        await using var connection = new NpgsqlConnection(cluster.HarnessConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand(ProcessingSql, connection);
        await command.PrepareAsync(CancellationToken.None);
        var clock = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested)
        {
            var tick = clock.Elapsed;
            long sum = 0;
            var over = false;
            await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
            {
                while (await reader.ReadAsync(CancellationToken.None))
                {
                    var workspace = reader.GetGuid(0);
                    var processing = reader.GetInt64(1);
                    over |= processing > limits.GetValueOrDefault(workspace, int.MaxValue);
                    if (ours.Contains(workspace))
                    {
                        sum += processing;
                        samples.Max[workspace] = Math.Max(samples.Max.GetValueOrDefault(workspace), processing);
                    }
                }
            }

            samples.Count++;
            samples.Seconds = tick.TotalSeconds;
            samples.Totals.Add(sum);
            samples.OverLimit += over ? 1 : 0;
            var wait = plan.LimitSampleInterval - (clock.Elapsed - tick);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        return samples;
    }
}
