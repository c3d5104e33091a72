using System.Text.Json;
using Jobs.Core.Engine.Storage;
using Jobs.Testing.Processes;
using Npgsql;

namespace Jobs.ChaosTests;

/// <summary>
/// The engine's own statements (Jobs.Core's store) against a cluster's database, for the scenarios that need to
/// act at a precise moment as a worker or a leader would: a claim, a completion, a rescue with a given term.
/// </summary>
public sealed class StoreAccess(string connectionString) : IAsyncDisposable
{
    private readonly NpgsqlDataSource dataSource = NpgsqlDataSource.Create(connectionString);

    public NpgsqlJobStore Jobs => new(dataSource);

    public NpgsqlClusterStore Cluster => new(dataSource);

    /// <summary>Demo jobs of the demo workspace in a queue no worker reads, so only the test moves them.</summary>
    public async Task<Guid[]> InsertUnservedAsync(int count)
    {
        await using var command = dataSource.CreateCommand("SELECT workspace_id, id FROM users WHERE workspace_id = (SELECT id FROM workspaces WHERE name = 'demo')");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (workspace, user) = (reader.GetGuid(0), reader.GetGuid(1));
        var payload = JsonDocument.Parse("""{"items":1}""").RootElement;
        var inserted = await Jobs.JobInsertManyAsync(new JobInsertManyParams(workspace, user,
            [.. Enumerable.Range(0, count).Select(_ => new JobInsertParams("demo", "chaos-unserved", 0, payload, null, 3, 60, null))])
        {
            // Hinted into their workspace's slots as the API's submit does (claimable), though no worker reads that queue.
            HintLimit = count,
        }, CancellationToken.None);
        return [.. inserted.Results.Select(i => i.Job.Id)];
    }

    public static async Task DeleteAsync(ProcessCluster cluster, IReadOnlyCollection<Guid> ids) =>
        await cluster.ScalarAsync<int>("DELETE FROM jobs WHERE id = ANY(@ids)", ("ids", ids.ToArray()));

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
