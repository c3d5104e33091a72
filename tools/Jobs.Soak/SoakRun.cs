using System.Collections.Concurrent;
using System.Diagnostics;
using Jobs.Client;
using Jobs.Testing.Processes;
using StackExchange.Redis;

namespace Jobs.Soak;

/// <summary>A fault injected into the running system; Start..End is when the faulty part was away.</summary>
/// <param name="Outage">Nothing of that kind could run during it (Redis or the API down), so waits count from its end.</param>
public sealed record Fault(string Kind, DateTimeOffset Start, DateTimeOffset End, bool Outage);

/// <summary>
/// Submits demo jobs with random delays and failures, each with its own Idempotency-Key and retried until accepted,
/// while one fault at a time is injected: workers killed (SIGKILL), stopped (SIGTERM) or paused past their lease
/// (SIGSTOP/SIGCONT), the API killed and restarted, Redis flushed or killed and restarted. Then waits for every job to
/// finish and hands the figures to <see cref="SoakReport"/>.
/// </summary>
public sealed class SoakRun(SoakOptions options, Action<string> log)
{
    private static readonly TimeSpan Drain = TimeSpan.FromMinutes(2);
    private readonly Random random = new(options.Seed);
    private readonly ConcurrentDictionary<string, Guid> accepted = new();
    private readonly ConcurrentBag<Fault> faults = [];
    private int submitRetries;

    public async Task<SoakFigures> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        log($"soak: {options.Jobs} jobs over {options.Duration.TotalSeconds:0} s, {options.Workers} workers, seed {options.Seed}");
        await using var cluster = await ProcessCluster.StartAsync(options.Cluster(log));
        try
        {
            using var stop = new CancellationTokenSource();
            var injecting = InjectFaultsAsync(cluster, stop.Token);
            await SubmitAllAsync(cluster);
            await stop.CancelAsync();
            await injecting;
            log($"soak: {accepted.Count} jobs accepted, {faults.Count} faults injected; waiting for the backlog");
            await ProcessCluster.WaitUntilAsync(
                async () => await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE status IN ('pending', 'processing')") == 0,
                "every job to finish", Drain);
        }
        catch (TimeoutException e)
        {
            log($"soak: {e.Message}{Environment.NewLine}{cluster.Tails()}");
        }

        return await SoakReport.BuildAsync(cluster, options, [.. accepted.Values], [.. faults.OrderBy(f => f.Start)], submitRetries, clock.Elapsed);
    }

    private async Task SubmitAllAsync(ProcessCluster cluster)
    {
        var window = options.Duration * 0.8;
        var started = Stopwatch.StartNew();
        var next = -1;
        var payloads = Enumerable.Range(0, options.Jobs).Select(_ => NextPayload()).ToArray();
        var client = new JobsClient(cluster.Client, ProcessCluster.ApiKey);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < options.Jobs)
            {
                var due = window * i / options.Jobs - started.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }

                await SubmitUntilAcceptedAsync(client, $"soak-{i}", payloads[i]);
            }
        }));
    }

    private object NextPayload()
    {
        lock (random)
        {
            return new
            {
                items = random.Next(1, 5),
                delayMs = random.Next(0, 250),
                failAttempts = random.NextDouble() < 0.1 ? 1 : 0,
            };
        }
    }

    // A client that lost its answer (API killed, Redis away) sends the same request with the same key again.
    private async Task SubmitUntilAcceptedAsync(JobsClient client, string key, object payload)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            try
            {
                accepted[key] = (await client.SubmitAsync("demo", payload, new SubmitOptions { MaxAttempts = 5, IdempotencyKey = key })).JobId;
                return;
            }
            catch (JobsApiException e) when (e is not JobsRateLimitedException && (int)e.Status < 500)
            {
                throw new InvalidOperationException($"{key}: POST /api/jobs answered {e.Message}", e);
            }
            catch (Exception e) when (e is JobsApiException || (e is HttpRequestException or TaskCanceledException && DateTimeOffset.UtcNow < deadline))
            {
                // Connection refused or reset, no answer in time, or the API busy or away (429, 5xx): the request may or
                // may not have been stored.
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"{key} was not accepted within a minute.");
            }

            Interlocked.Increment(ref submitRetries);
            await Task.Delay(200);
        }
    }

    private async Task InjectFaultsAsync(ProcessCluster cluster, CancellationToken ct)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            while (!ct.IsCancellationRequested)
            {
                double roll;
                lock (random)
                {
                    roll = random.NextDouble();
                }

                var fault = await InjectOneAsync(cluster, roll);
                faults.Add(fault);
                log($"[{fault.Start:HH:mm:ss.fff}] fault: {fault.Kind}, away {(fault.End - fault.Start).TotalSeconds:0.0} s");
                await Task.Delay(TimeSpan.FromMilliseconds(1000 + (roll * 1500)), ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task<Fault> InjectOneAsync(ProcessCluster cluster, double roll)
    {
        var start = DateTimeOffset.UtcNow;
        var workers = cluster.Workers.Where(w => w.Ready && !w.HasExited).ToList();
        var worker = workers.Count > 0 ? workers[(int)(roll * 1000) % workers.Count] : null;
        switch (roll)
        {
            case < 0.3 when worker is not null:
                // The supervisor starts a replacement, as a process manager would.
                worker.Signal(ServiceProcess.SigKill);
                return new Fault("worker kill -9", start, start, Outage: false);
            case < 0.45 when worker is not null:
                cluster.SignalWorker(worker, ServiceProcess.SigTerm);
                await worker.WaitForExitAsync(cluster.Options.ShutdownGracePeriod + TimeSpan.FromSeconds(10));
                await cluster.StartWorkerAsync();
                return new Fault("worker SIGTERM", start, start, Outage: false);
            case < 0.55 when worker is not null:
                worker.Signal(ServiceProcess.SigStop);
                await Task.Delay(cluster.Options.LeaseDuration + TimeSpan.FromSeconds(1));
                worker.Signal(ServiceProcess.SigCont);
                return new Fault("worker SIGSTOP past its lease", start, start, Outage: false);
            case < 0.7:
                await cluster.RestartApiAsync();
                return new Fault("api kill -9", start, DateTimeOffset.UtcNow, Outage: true);
            case < 0.85:
                await cluster.Redis.StopAsync();
                await Task.Delay(TimeSpan.FromMilliseconds(1000 + (roll * 2000)));
                await cluster.Redis.RestartAsync();
                return new Fault("redis killed and restarted", start, DateTimeOffset.UtcNow, Outage: true);
            default:
                await using (var redis = await ConnectionMultiplexer.ConnectAsync($"{cluster.Redis.ConnectionString},allowAdmin=true"))
                {
                    await redis.GetServers()[0].FlushAllDatabasesAsync();
                }

                return new Fault("redis FLUSHALL", start, DateTimeOffset.UtcNow, Outage: true);
        }
    }
}
