using System.Net;
using Jobs.Core.Engine.Catalog;
using Jobs.Core.Engine.Events;
using Jobs.Core.Engine.Schedules;
using Jobs.Core.Engine.Storage;
using Jobs.IntegrationTests.Infrastructure;
using Jobs.Worker.Maintenance;
using Jobs.Worker.Processing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Jobs.IntegrationTests;

/// <summary>
/// Exactly one job per due tick (docs/design.md, "Schedules") with real workers: several maintenance services racing
/// for the leadership, a leader change in the middle, every worker stopped and a new one started, and a stale term
/// calling the firing code itself. The tick's identity is unique in the database, so the checks below count ticks and
/// their gaps: none twice, hardly any skipped while a leader ran, the downtime collapsed to one job (runOnce).
/// </summary>
public sealed class ScheduleFiringTests(Servers servers)
{
    [Fact]
    public async Task Every_second_schedule_makes_one_job_per_tick_across_a_leader_change_and_a_restart()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 3);
        var client = cluster.Client;
        var (created, schedule) = await client.SendJsonAsync(HttpMethod.Post, "/api/schedules",
            new { name = "every second", cron = "* * * * * *", timeZone = "UTC", type = "demo", payload = new { items = 1 } });
        created.ShouldBe(HttpStatusCode.Created);
        var id = schedule.GetProperty("id").GetGuid();

        await WaitForJobsAsync(cluster, id, 3);
        var leader = (await cluster.ScalarAsync<string>("SELECT leader_id FROM leader_leases WHERE name = 'maintenance'"))!;
        await cluster.StopWorkerAsync(cluster.Workers.Single(w => TestCluster.IdentityOf(w).Id == leader));
        await WaitForJobsAsync(cluster, id, await CountAsync(cluster, id) + 3);
        (await cluster.ScalarAsync<string>("SELECT leader_id FROM leader_leases WHERE name = 'maintenance'")).ShouldNotBe(leader);

        foreach (var worker in cluster.Workers.ToList())
        {
            await cluster.StopWorkerAsync(worker);
        }

        var lastBefore = (await TicksAsync(cluster, id))[^1];
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        await cluster.StartWorkerAsync();
        await WaitForJobsAsync(cluster, id, await CountAsync(cluster, id) + 3);
        (await client.PostAsync($"/api/schedules/{id}/pause")).Status.ShouldBe(HttpStatusCode.OK);

        var ticks = await TicksAsync(cluster, id);
        ticks.Distinct().Count().ShouldBe(ticks.Count);
        var before = ticks.Where(t => t <= lastBefore).ToList();
        var after = ticks.Where(t => t > lastBefore).ToList();
        // While a leader ran (one of three, then one of two), the seconds had their jobs: a tick is skipped only when
        // the leader came to it after the next one was due (runOnce fires the latest), which a loaded machine allows
        // now and then, never for most of them.
        Gaps(ticks).ShouldAllBe(g => g >= TimeSpan.FromSeconds(1));
        Gaps(before).Count(g => g == TimeSpan.FromSeconds(1)).ShouldBeGreaterThanOrEqualTo(Gaps(before).Count() * 2 / 3);
        // The downtime's ticks made one job, for the latest of them, not one each.
        (after[0] - lastBefore).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(3));
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE schedule_id = @id AND schedule_tick_at IS NULL", ("id", id))).ShouldBe(0);
    }

    [Fact]
    public async Task The_firing_code_with_a_stale_term_writes_nothing_and_racing_firers_make_one_job()
    {
        // No worker: the terms are the test's, and ScheduleFirer is called directly, as two leaders would.
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var services = cluster.Api.Services;
        var elections = services.GetRequiredService<IClusterStore>();
        var first = Firer(services);
        var second = Firer(services);
        var (_, schedule) = await cluster.Client.SendJsonAsync(HttpMethod.Post, "/api/schedules",
            new { name = "every second", cron = "* * * * * *", timeZone = "UTC", type = "demo", payload = new { items = 1 } });
        var id = schedule.GetProperty("id").GetGuid();
        var stale = (await elections.LeaderAttemptElectAsync(MaintenanceService.LeaderName, "leader-a", TimeSpan.FromMilliseconds(300), CancellationToken.None)).ShouldNotBeNull();
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var current = (await elections.LeaderAttemptElectAsync(MaintenanceService.LeaderName, "leader-b", TimeSpan.FromMinutes(1), CancellationToken.None)).ShouldNotBeNull();
        current.Term.ShouldBe(stale.Term + 1);

        // A tick is due: the deposed leader's call writes nothing, the leader's makes its one job.
        (await first.FireDueAsync(stale, CancellationToken.None)).ShouldBe(0);
        (await CountAsync(cluster, id)).ShouldBe(0);
        (await first.FireDueAsync(current, CancellationToken.None)).ShouldBe(1);

        // Two firers with the leader's term at once (a leader's tick overlapping its successor's read): one job per tick.
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var made = await Task.WhenAll(first.FireDueAsync(current, CancellationToken.None), second.FireDueAsync(current, CancellationToken.None));
        made.Sum().ShouldBe(1);
        var ticks = await TicksAsync(cluster, id);
        ticks.Count.ShouldBe(2);
        ticks.Distinct().Count().ShouldBe(2);
    }

    private static ScheduleFirer Firer(IServiceProvider services) => new(
        services.GetRequiredService<IScheduleStore>(), services.GetRequiredService<JobTypeCatalog>(), services.GetRequiredService<JobEventBus>(), Options.Create(new WorkerOptions()), NullLogger<ScheduleFirer>.Instance);

    private static IEnumerable<TimeSpan> Gaps(IReadOnlyList<DateTimeOffset> ticks) => ticks.Zip(ticks.Skip(1), (a, b) => b - a);

    private static async Task<long> CountAsync(TestCluster cluster, Guid scheduleId) =>
        await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE schedule_id = @id", ("id", scheduleId));

    private static Task WaitForJobsAsync(TestCluster cluster, Guid scheduleId, long count) =>
        Eventually.TrueAsync(async () => await CountAsync(cluster, scheduleId) >= count, $"{count} jobs of the schedule", TimeSpan.FromSeconds(30));

    private static async Task<IReadOnlyList<DateTimeOffset>> TicksAsync(TestCluster cluster, Guid scheduleId)
    {
        var text = await cluster.ScalarAsync<string>(
            "SELECT string_agg(to_char(schedule_tick_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), ',' ORDER BY schedule_tick_at) FROM jobs WHERE schedule_id = @id",
            ("id", scheduleId));
        return text is null ? [] : [.. text.Split(',').Select(DateTimeOffset.Parse)];
    }
}
