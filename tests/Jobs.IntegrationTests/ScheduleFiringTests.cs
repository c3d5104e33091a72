using System.Net;
using Jobs.Core.Engine.Storage;
using Jobs.IntegrationTests.Infrastructure;
using Jobs.Worker.Maintenance;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.IntegrationTests;

/// <summary>
/// Exactly one job per due tick (docs/design.md, "Schedules") with real workers: several maintenance services racing
/// for the leadership, a leader change in the middle, every worker stopped and a new one started, and a stale term
/// calling the firing code itself. The tick's identity is unique in the database, so the checks below count ticks and
/// their gaps: none twice, none skipped while a leader ran, the downtime collapsed to one job (runOnce).
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
        // While a leader ran (one of three, then one of two), every second had its job.
        Gaps(before).ShouldAllBe(g => g == TimeSpan.FromSeconds(1));
        // The downtime's ticks made one job, for the latest of them; then every second again.
        (after[0] - lastBefore).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(3));
        Gaps(after).ShouldAllBe(g => g == TimeSpan.FromSeconds(1));
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE schedule_id = @id AND schedule_tick_at IS NULL", ("id", id))).ShouldBe(0);
    }

    [Fact]
    public async Task A_stale_leader_term_fires_nothing()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 2);
        var (_, schedule) = await cluster.Client.SendJsonAsync(HttpMethod.Post, "/api/schedules",
            new { name = "every second", cron = "* * * * * *", timeZone = "UTC", type = "demo", payload = new { items = 1 } });
        var id = schedule.GetProperty("id").GetGuid();
        await WaitForJobsAsync(cluster, id, 1);
        var current = (await cluster.ScalarAsync<long>("SELECT term FROM leader_leases WHERE name = 'maintenance'"));
        var leaderId = (await cluster.ScalarAsync<string>("SELECT leader_id FROM leader_leases WHERE name = 'maintenance'"))!;
        var follower = cluster.Workers.First(w => TestCluster.IdentityOf(w).Id != leaderId);
        var firer = follower.Services.GetRequiredService<ScheduleFirer>();

        // The follower believes it leads: with an older term, and with its own id and a term it never held.
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var before = await CountAsync(cluster, id);
        (await firer.FireDueAsync(new LeaderTerm("maintenance", leaderId, current - 1), CancellationToken.None)).ShouldBe(0);
        (await firer.FireDueAsync(new LeaderTerm("maintenance", TestCluster.IdentityOf(follower).Id, current), CancellationToken.None)).ShouldBe(0);

        var ticks = await TicksAsync(cluster, id);
        ticks.Distinct().Count().ShouldBe(ticks.Count);
        ((long)ticks.Count).ShouldBeGreaterThanOrEqualTo(before);
    }

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
