using System.Net;
using System.Text.Json;
using Jobs.Client;
using Jobs.Contracts.Jobs;

namespace Jobs.Bench;

/// <summary>
/// The few calls of the HTTP API (docs/api.md) the benchmarks make to set up and clean up their jobs, through
/// Jobs.Client.
/// </summary>
internal sealed class BenchApi(Uri api, string key) : IDisposable
{
    private const int BatchLimit = 1000;
    private const int PageLimit = 200;

    private readonly HttpClient http = new() { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };

    public JobsClient Client => field ??= new JobsClient(http, key);

    /// <summary>
    /// Submits <paramref name="count"/> <c>demo</c> jobs of <paramref name="items"/> × <paramref name="delayMs"/>: all
    /// at once through the batch endpoint, or one by one evenly over <paramref name="spread"/>.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> SubmitDemoJobsAsync(int count, int items, int delayMs, CancellationToken ct, TimeSpan spread = default)
    {
        // Built once: the submits below only send it.
        var job = new SubmitJobRequest("demo", JsonSerializer.SerializeToElement(new { items, delayMs }, JsonSerializerOptions.Web));
        var ids = new List<Guid>(count);
        if (spread > TimeSpan.Zero)
        {
            var started = DateTime.UtcNow;
            for (var i = 0; i < count; i++)
            {
                var due = started + spread * i / count;
                if (due > DateTime.UtcNow)
                {
                    await Task.Delay(due - DateTime.UtcNow, ct);
                }

                ids.Add((await Client.SubmitAsync(job, ct)).JobId);
            }

            return ids;
        }

        while (ids.Count < count)
        {
            var batch = new SubmitBatchRequest(Enumerable.Repeat<SubmitJobRequest?>(job, Math.Min(BatchLimit, count - ids.Count)).ToList());
            ids.AddRange((await Client.SubmitBatchAsync(batch, ct)).Jobs.Select(j => j.JobId));
        }

        return ids;
    }

    /// <summary>
    /// Waits until every job is processing, or the timeout passes; returns those that are. Jobs wait in pending when
    /// the workspace's concurrency limit or the workers' slots are too low for them all.
    /// </summary>
    public async Task<HashSet<Guid>> WaitUntilProcessingAsync(IReadOnlyCollection<Guid> ids, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var processing = await Client.ListAllAsync(JobStatus.Processing, pageSize: PageLimit, cancellationToken: ct)
                .Select(j => j.Id).Where(ids.Contains).ToHashSetAsync(cancellationToken: ct);
            if (processing.Count == ids.Count || DateTime.UtcNow >= deadline)
            {
                return processing;
            }

            await Task.Delay(500, ct);
        }
    }

    /// <summary>
    /// Cancels the jobs a run started, so that the next run finds free slots; returns how many could not be. A few at
    /// a time, each tried twice: the system may still be short of database connections from the run.
    /// </summary>
    public async Task<int> CancelAsync(IEnumerable<Guid> ids)
    {
        var failed = 0;
        foreach (var chunk in ids.Chunk(4))
        {
            await Task.WhenAll(chunk.Select(async id =>
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await Client.CancelAsync(id);
                        return;
                    }
                    catch (JobsConflictException e) when (e.Status == HttpStatusCode.Conflict)
                    {
                        // The job is final already, which is as good.
                        return;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JobsApiException)
                    {
                    }

                    if (attempt == 2)
                    {
                        Interlocked.Increment(ref failed);
                        return;
                    }

                    await Task.Delay(1000);
                }
            }));
        }

        return failed;
    }

    public void Dispose() => http.Dispose();
}
