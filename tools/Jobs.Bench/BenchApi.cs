using System.Net.Http.Json;
using Jobs.Contracts.Jobs;

namespace Jobs.Bench;

/// <summary>
/// The few calls of the HTTP API (docs/api.md) the benchmarks make to set up and clean up their jobs.
/// </summary>
internal sealed class BenchApi(Uri api, string key) : IDisposable
{
    private const int BatchLimit = 1000;
    private const int PageLimit = 200;

    public HttpClient Http { get; } = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) }.WithApiKey(key);

    /// <summary>
    /// Submits <paramref name="count"/> <c>demo</c> jobs of <paramref name="items"/> × <paramref name="delayMs"/>: all
    /// at once through the batch endpoint, or one by one evenly over <paramref name="spread"/>.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> SubmitDemoJobsAsync(int count, int items, int delayMs, CancellationToken ct, TimeSpan spread = default)
    {
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

                using var response = await Http.PostAsJsonAsync("/api/jobs", new { type = "demo", payload = new { items, delayMs } }, ct);
                if ((int)response.StatusCode != 202)
                {
                    throw new InvalidOperationException($"Submit answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
                }

                ids.Add((await response.Content.ReadFromJsonAsync<SubmitJobResponse>(ct))!.JobId);
            }

            return ids;
        }

        while (ids.Count < count)
        {
            var jobs = Enumerable.Range(0, Math.Min(BatchLimit, count - ids.Count))
                .Select(_ => new { type = "demo", payload = new { items, delayMs } })
                .ToList();
            using var response = await Http.PostAsJsonAsync("/api/jobs/batch", new { jobs }, ct);
            if ((int)response.StatusCode != 202)
            {
                throw new InvalidOperationException($"Batch submit answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            }

            var body = await response.Content.ReadFromJsonAsync<SubmitBatchResponse>(ct);
            ids.AddRange(body!.Jobs.Select(j => j.JobId));
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
            var processing = (await ListAsync("processing", ct)).Where(ids.Contains).ToHashSet();
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
                        using var response = await Http.PostAsync($"/api/jobs/{id}/cancel", null);
                        // 409: the job is final already, which is as good.
                        if (response.IsSuccessStatusCode || (int)response.StatusCode == 409)
                        {
                            return;
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
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

    /// <summary>Ids of the workspace's jobs in one status, every page.</summary>
    private async Task<List<Guid>> ListAsync(string status, CancellationToken ct)
    {
        var ids = new List<Guid>();
        string? cursor = null;
        do
        {
            var url = $"/api/jobs?status={status}&limit={PageLimit}" + (cursor is null ? "" : $"&cursor={cursor}");
            var page = await Http.GetFromJsonAsync<JobListResponse>(url, ct);
            ids.AddRange(page!.Items.Select(j => j.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return ids;
    }

    public void Dispose() => Http.Dispose();
}
