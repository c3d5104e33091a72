using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Jobs.Core.Engine.Catalog;

namespace Jobs.StoreTests.Engine;

/// <summary>
/// <see cref="IClusterStore"/>: the leader lease (one leader, a term that grows with every change of leader, expiry and
/// resignation; docs/design.md, "Leases and fencing"), the worker registry, the platform secrets and the job-type
/// catalog. Each test names its own role, secret and type, so they share the database.
/// </summary>
public sealed class ClusterStoreTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(1);

    private readonly TestDatabase db = postgres.Shared;

    [Fact]
    public async Task Racing_candidates_elect_one_leader_who_keeps_the_term_while_renewing()
    {
        var role = $"role-{Guid.NewGuid():N}";

        var terms = await Task.WhenAll(Enumerable.Range(1, 5).Select(i => Task.Run(() => db.Cluster.LeaderAttemptElectAsync(role, $"worker-{i}", Ttl, Ct))));

        var leader = terms.OfType<LeaderTerm>().ShouldHaveSingleItem();
        leader.Term.ShouldBe(1);
        (await db.Cluster.LeaderAttemptElectAsync(role, leader.LeaderId, Ttl, Ct)).ShouldBe(leader);
        (await db.Cluster.LeaderAttemptElectAsync(role, "worker-9", Ttl, Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task An_expired_or_resigned_term_passes_to_the_next_leader_with_a_higher_term()
    {
        var role = $"role-{Guid.NewGuid():N}";
        var first = (await db.Cluster.LeaderAttemptElectAsync(role, "worker-1", TimeSpan.FromMilliseconds(100), Ct)).ShouldNotBeNull();
        await Task.Delay(200, Ct);

        var second = (await db.Cluster.LeaderAttemptElectAsync(role, "worker-2", Ttl, Ct)).ShouldNotBeNull();
        second.Term.ShouldBe(first.Term + 1);
        (await db.Cluster.LeaderAttemptElectAsync(role, "worker-1", Ttl, Ct)).ShouldBeNull();

        // Only the leader can resign; then the role is free at once.
        await db.Cluster.LeaderResignAsync(role, "worker-1", Ct);
        (await db.Cluster.LeaderAttemptElectAsync(role, "worker-3", Ttl, Ct)).ShouldBeNull();
        await db.Cluster.LeaderResignAsync(role, "worker-2", Ct);
        (await db.Cluster.LeaderAttemptElectAsync(role, "worker-3", Ttl, Ct)).ShouldNotBeNull().Term.ShouldBe(second.Term + 1);
    }

    [Fact]
    public async Task Workers_are_live_while_they_heartbeat_and_removed_once_silent()
    {
        // The registry is read and pruned as a whole: a database of its own.
        await using var own = await postgres.CreateDatabaseAsync();
        var started = DateTimeOffset.UtcNow;
        await own.Cluster.WorkerHeartbeatAsync(new WorkerInfo("worker-1", "host-a", ["default"], 8, started, started), Ct);
        await own.Cluster.WorkerHeartbeatAsync(new WorkerInfo("worker-2", "host-b", ["default"], 8, started, started), Ct);
        // worker-2 falls silent; worker-1 beats again (and changes what it serves). The window is wide enough that a
        // loaded machine still reads worker-1 within it.
        var window = TimeSpan.FromSeconds(1);
        await Task.Delay(window * 1.5, Ct);
        await own.Cluster.WorkerHeartbeatAsync(new WorkerInfo("worker-1", "host-a", ["default", "mail"], 4, started, started), Ct);

        var live = (await own.Cluster.WorkerListLiveAsync(window, Ct)).ShouldHaveSingleItem();
        (live.Id, live.Host, live.Slots).ShouldBe(("worker-1", "host-a", 4));
        live.Queues.ShouldBe(["default", "mail"]);
        (await own.Cluster.WorkerDeleteDeadAsync(window, Ct)).ShouldBe(1);
        (await own.Cluster.WorkerListLiveAsync(TimeSpan.FromHours(1), Ct)).ShouldHaveSingleItem().Id.ShouldBe("worker-1");
        await own.Cluster.WorkerDeleteAsync("worker-1", Ct);
        (await own.Cluster.WorkerListLiveAsync(TimeSpan.FromHours(1), Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Racing_instances_get_the_same_platform_secret()
    {
        var name = $"secret-{Guid.NewGuid():N}";
        var candidates = Enumerable.Range(0, 5).Select(_ => RandomNumberGenerator.GetBytes(32)).ToList();

        var secrets = await Task.WhenAll(candidates.Select(c => Task.Run(() => db.Cluster.PlatformSecretGetOrCreateAsync(name, c, Ct))));

        secrets.Select(Convert.ToHexString).Distinct().ShouldHaveSingleItem();
        candidates.ShouldContain(c => c.SequenceEqual(secrets[0]));
        (await db.Cluster.PlatformSecretGetOrCreateAsync(name, RandomNumberGenerator.GetBytes(32), Ct)).ShouldBe(secrets[0]);
    }

    [Fact]
    public async Task A_job_type_published_again_replaces_its_definition()
    {
        var name = $"type-{Guid.NewGuid():N}";
        var schema = new JsonObject { ["type"] = "object" };
        await db.Cluster.JobTypeUpsertManyAsync([new JobTypeDefinition(name, "first", "default", schema, 3, 60)], Ct);

        await db.Cluster.JobTypeUpsertManyAsync([new JobTypeDefinition(name, "second", "mail", schema, 5, 120) { Bulk = true, ItemsField = "items" }], Ct);

        var published = (await db.Cluster.JobTypeListAsync(Ct)).Where(t => t.Name == name).ShouldHaveSingleItem();
        (published.Description, published.Queue, published.MaxAttempts, published.TimeoutSeconds).ShouldBe(("second", "mail", 5, 120));
        (published.Bulk, published.ItemsField).ShouldBe((true, "items"));
    }
}
