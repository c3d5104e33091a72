using Jobs.Testing.Processes;

namespace Jobs.ChaosTests;

/// <summary>What the scenarios do over and over against the shared cluster.</summary>
public static class Scenario
{
    public static readonly TimeSpan Finish = TimeSpan.FromSeconds(60);

    public static async Task<Guid[]> SubmitManyAsync(this ProcessCluster cluster, int count, object payload, int? maxAttempts = null) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(_ => cluster.SubmitDemoAsync(payload, maxAttempts)));

    public static Task WaitUntilFinishedAsync(this ProcessCluster cluster, IReadOnlyCollection<Guid> ids, TimeSpan? timeout = null) =>
        ProcessCluster.WaitUntilAsync(
            async () => await cluster.ScalarAsync<long>(
                "SELECT count(*) FROM jobs WHERE id = ANY(@ids) AND status IN ('completed', 'failed', 'cancelled')", ("ids", ids.ToArray())) == ids.Count,
            $"{ids.Count} jobs to finish", timeout ?? Finish);

    /// <summary>Every job terminal, without a lease, with one recorded outcome and, if completed, one completion.</summary>
    public static Task<IReadOnlyList<JobOutcome>> AssertExactlyOnceAsync(this ProcessCluster cluster, params Guid[] ids) =>
        Outcomes.AssertExactlyOnceAsync(cluster.DatabaseConnectionString, ids);

    public static async Task<long> ProcessedItemsAsync(this ProcessCluster cluster, Guid id) =>
        await cluster.ScalarAsync<long?>("SELECT processed_items FROM jobs WHERE id = @id", ("id", id)) ?? 0;

    public static async Task<ServiceProcess> OwnerOnceRunningAsync(this ProcessCluster cluster, Guid id, int processedItems = 1)
    {
        await ProcessCluster.WaitUntilAsync(async () => await cluster.ProcessedItemsAsync(id) >= processedItems, $"job {id} to process {processedItems} items", Finish);
        return await cluster.WorkerOwningAsync(id) ?? throw new InvalidOperationException($"No worker process holds job {id}.");
    }

    public static async Task<long> VersionAsync(this ProcessCluster cluster, Guid id) =>
        await cluster.ScalarAsync<long>("SELECT version FROM jobs WHERE id = @id", ("id", id));
}
