using System.Text.Json;
using Jobs.Core.Database;
using Jobs.Core.Engine;
using Jobs.Core.Engine.Storage;
using Jobs.Testing.Processes;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Jobs.ChaosTests;

/// <summary>
/// A completion racing the reaper, with the engine's own statements on a real PostgreSQL. A
/// database of its own on the cluster's server, so that no running leader rescues these leases first.
/// </summary>
[Collection(ChaosCollection.Name)]
public sealed class ReaperRaceTests(ChaosFixture fixture) : IAsyncLifetime
{
    private const int Jobs = 40;
    private static readonly JsonElement NoMetrics = JsonDocument.Parse("{}").RootElement;
    private readonly string database = $"race_{Guid.NewGuid():N}";
    private string connectionString = "";
    private NpgsqlDataSource dataSource = null!;
    private NpgsqlJobStore store = null!;
    private LeaderTerm leader = null!;

    public async ValueTask InitializeAsync()
    {
        await fixture.Cluster.ScalarAsync<int>($"CREATE DATABASE {database}");
        connectionString = new NpgsqlConnectionStringBuilder(fixture.Cluster.DatabaseConnectionString) { Database = database }.ConnectionString;
        dataSource = NpgsqlDataSource.Create(connectionString);
        await new Migrator(dataSource, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);
        store = new NpgsqlJobStore(dataSource);
        leader = (await new NpgsqlClusterStore(dataSource).LeaderAttemptElectAsync("maintenance", "reaper", TimeSpan.FromMinutes(5), CancellationToken.None))!;
    }

    public async ValueTask DisposeAsync()
    {
        await dataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await fixture.Cluster.ScalarAsync<int>($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
    }

    [Fact]
    public async Task CompletionAndReaperRacingOnExpiredLeases_EachJobGetsExactlyOneOutcome()
    {
        var claimed = await ClaimExpiredAsync(Jobs);

        // Completions and single-row rescues all at once, each on its own connection.
        var completions = claimed.Select(job => Task.Run(() => CompleteAsync(job))).ToList();
        var rescues = claimed.Select(_ => Task.Run(() => store.JobRescueExpiredAsync(leader, 1, CancellationToken.None))).ToList();
        await Task.WhenAll([.. completions, .. rescues]);

        var completed = completions.Select(c => c.Result).OfType<Job>().Select(j => j.Id).ToHashSet();
        var rescued = rescues.SelectMany(r => r.Result).Select(j => j.Id).ToList();
        rescued.ShouldBeUnique();
        completed.Intersect(rescued).ShouldBeEmpty("a job was both completed and rescued");
        completed.Union(rescued).Count().ShouldBe(Jobs, "a job got no outcome");
        foreach (var job in await Outcomes.ReadAsync(connectionString, [.. claimed.Select(c => c.Id)]))
        {
            if (completed.Contains(job.Id))
            {
                (job.Status, job.CompletedEvents, job.LeasesExpired, job.ResultAttempt).ShouldBe(("completed", 1L, 0L, (int?)1));
            }
            else
            {
                (job.Status, job.CompletedEvents, job.LeasesExpired, job.ResultAttempt).ShouldBe(("pending", 0L, 1L, (int?)null));
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{completed.Count} completions won, {rescued.Count} rescues won");
    }

    [Fact]
    public async Task CompletionJustBeforeTheReapersWrite_StaysCompleted_AndAStaleCompletionAfterItChangesNothing()
    {
        var claimed = await ClaimExpiredAsync(2);

        (await CompleteAsync(claimed[0])).ShouldNotBeNull();
        var rescued = await store.JobRescueExpiredAsync(leader, 10, CancellationToken.None);
        (await CompleteAsync(claimed[1])).ShouldBeNull("the completion after the rescue was not fenced");

        rescued.Select(j => j.Id).ShouldBe([claimed[1].Id]);
        var outcomes = (await Outcomes.ReadAsync(connectionString, [.. claimed.Select(c => c.Id)])).ToDictionary(o => o.Id);
        (outcomes[claimed[0].Id].Status, outcomes[claimed[0].Id].CompletedEvents).ShouldBe(("completed", 1L));
        (outcomes[claimed[1].Id].Status, outcomes[claimed[1].Id].CompletedEvents).ShouldBe(("pending", 0L));
    }

    // The worker's completion write (a group commit of one), fenced on the attempt's lease.
    private async Task<Job?> CompleteAsync(Job job) => (await store.JobWriteManyAsync(
        new JobWriteManyParams([], [new JobCompletion(
            new JobSetProgressParams(job.Lease, 100, null, 1, 1, NoMetrics, null, false),
            JsonSerializer.SerializeToElement(new { attempt = job.Attempt }),
            WorkspaceId: null)], HintLimit: 0),
        CancellationToken.None)).Completed.SingleOrDefault();

    private async Task<IReadOnlyList<Job>> ClaimExpiredAsync(int count)
    {
        var workspace = Guid.CreateVersion7();
        var user = Guid.CreateVersion7();
        await using (var command = dataSource.CreateCommand("""
            INSERT INTO workspaces (id, name, max_concurrent_jobs) VALUES (@w, 'race', 1000);
            INSERT INTO users (id, workspace_id, email, display_name) VALUES (@u, @w, @u::text || '@race.local', 'race');
            """))
        {
            command.Parameters.AddWithValue("w", workspace);
            command.Parameters.AddWithValue("u", user);
            await command.ExecuteNonQueryAsync();
        }

        var payload = JsonDocument.Parse("""{"items":1}""").RootElement;
        var inserted = await store.JobInsertManyAsync(new JobInsertManyParams(workspace, user,
            [.. Enumerable.Range(0, count).Select(_ => new JobInsertParams("demo", "default", 0, payload, null, 3, 60, null))]) { HintLimit = count },
            CancellationToken.None);
        var claimed = (await store.JobClaimManyAsync(new JobClaimManyParams([.. inserted.Results.Select(i => i.Job.Id)], "worker-a", TimeSpan.FromMinutes(5)), CancellationToken.None)).Claimed;
        claimed.Count.ShouldBe(count);
        await using var expire = dataSource.CreateCommand("UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE workspace_id = @w");
        expire.Parameters.AddWithValue("w", workspace);
        await expire.ExecuteNonQueryAsync();
        return claimed;
    }
}
