using System.Text.Json;
using Jobs.Contracts.Jobs;
using Jobs.Contracts.Schedules;
using Jobs.Core.Engine.Schedules;
using Jobs.Cron;
using Npgsql;

namespace Jobs.StoreTests.Engine;

/// <summary>
/// Schedules (docs/design.md, "Schedules"): their definitions per workspace, and the leader's fire, which makes exactly
/// one job per tick however many firers race, with a stale term writing nothing. Tests that list due schedules (every
/// workspace's) take a database of their own.
/// </summary>
public sealed class ScheduleStoreTests(PostgresFixture postgres)
{
    private static readonly TimeSpan MissedAfter = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_schedule_is_stored_with_its_first_tick_after_now_and_its_name_is_unique_in_the_workspace()
    {
        var db = postgres.Shared;
        var ws = await db.NewWorkspaceAsync();
        var other = await db.NewWorkspaceAsync();

        var schedule = (await db.Schedules.ScheduleCreateAsync(ws.Id, ws.UserId, Definition("nightly", "30 2 * * *"), paused: false, Ct)).ShouldNotBeNull();

        schedule.NextRunAt.ShouldNotBeNull().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddSeconds(-5));
        schedule.NextRunAt.Value.TimeOfDay.ShouldBe(new TimeSpan(2, 30, 0));
        (await db.Schedules.ScheduleCreateAsync(ws.Id, ws.UserId, Definition("nightly", "* * * * *"), paused: false, Ct)).ShouldBeNull();
        (await db.Schedules.ScheduleCreateAsync(other.Id, other.UserId, Definition("nightly", "* * * * *"), paused: false, Ct)).ShouldNotBeNull();
        (await db.Schedules.ScheduleGetAsync(other.Id, schedule.Id, Ct)).ShouldBeNull();
        (await db.Schedules.ScheduleGetAsync(ws.Id, schedule.Id, Ct)).ShouldNotBeNull().Id.ShouldBe(schedule.Id);
    }

    [Fact]
    public async Task Next_ticks_are_computed_in_the_schedules_zone()
    {
        var db = postgres.Shared;
        var ws = await db.NewWorkspaceAsync();

        var schedule = (await db.Schedules.ScheduleCreateAsync(ws.Id, ws.UserId, Definition("berlin", "0 9 * * *", "Europe/Berlin"), paused: false, Ct)).ShouldNotBeNull();

        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        TimeZoneInfo.ConvertTime(schedule.NextRunAt!.Value, berlin).TimeOfDay.ShouldBe(TimeSpan.FromHours(9));
    }

    [Fact]
    public async Task Edits_keep_the_due_tick_unless_the_expression_changes_and_a_taken_name_is_refused()
    {
        var db = postgres.Shared;
        var ws = await db.NewWorkspaceAsync();
        var schedule = (await db.Schedules.ScheduleCreateAsync(ws.Id, ws.UserId, Definition("a", "0 0 1 1 *"), paused: false, Ct)).ShouldNotBeNull();
        await db.Schedules.ScheduleCreateAsync(ws.Id, ws.UserId, Definition("b", "* * * * *"), paused: false, Ct);

        var renamed = (await db.Schedules.ScheduleUpdateAsync(ws.Id, schedule.Id, Definition("a2", "0 0 1 1 *"), ws.UserId, Ct)).Schedule.ShouldNotBeNull();
        renamed.NextRunAt.ShouldBe(schedule.NextRunAt);
        var changed = (await db.Schedules.ScheduleUpdateAsync(ws.Id, schedule.Id, Definition("a2", "*/5 * * * *"), ws.UserId, Ct)).Schedule.ShouldNotBeNull();
        changed.NextRunAt.ShouldNotBeNull().ShouldBeLessThan(schedule.NextRunAt!.Value);
        (await db.Schedules.ScheduleUpdateAsync(ws.Id, schedule.Id, Definition("b", "* * * * *"), ws.UserId, Ct)).NameTaken.ShouldBeTrue();
        (await db.Schedules.ScheduleUpdateAsync(ws.Id, Guid.CreateVersion7(), Definition("c", "* * * * *"), ws.UserId, Ct)).Schedule.ShouldBeNull();
    }

    [Fact]
    public async Task Pausing_forgets_the_next_tick_and_resuming_starts_from_now()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var ws = await db.NewWorkspaceAsync();
        var schedule = await DueScheduleAsync(db, ws, "*/15 * * * *", TimeSpan.FromHours(1));

        var paused = (await db.Schedules.ScheduleSetPausedAsync(ws.Id, schedule.Id, paused: true, ws.UserId, Ct)).ShouldNotBeNull();
        (paused.Paused, paused.NextRunAt).ShouldBe((true, null));
        (await db.Schedules.ScheduleListDueAsync(10, Ct)).Items.ShouldBeEmpty();

        var resumed = (await db.Schedules.ScheduleSetPausedAsync(ws.Id, schedule.Id, paused: false, ws.UserId, Ct)).ShouldNotBeNull();
        resumed.Paused.ShouldBeFalse();
        resumed.NextRunAt.ShouldNotBeNull().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddSeconds(-5));
        (await db.Schedules.ScheduleListDueAsync(10, Ct)).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_schedule_whose_owner_was_removed_fires_no_more_until_a_member_edits_it_and_takes_it_over()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var ws = await db.NewWorkspaceAsync();
        var schedule = await DueScheduleAsync(db, ws, "* * * * *", TimeSpan.FromSeconds(10));
        var colleague = Guid.CreateVersion7();
        await ExecuteAsync(db, "INSERT INTO users (id, workspace_id, email, display_name) SELECT @colleague, workspace_id, @colleague || '@test.local', 'Colleague' FROM users WHERE id = @owner",
            ("colleague", colleague), ("owner", ws.UserId));
        await ExecuteAsync(db, "UPDATE users SET removed_at = now() WHERE id = @owner", ("owner", ws.UserId));

        (await db.Schedules.ScheduleGetAsync(ws.Id, schedule.Id, Ct)).ShouldNotBeNull().OwnerRemoved.ShouldBeTrue();
        (await db.Schedules.ScheduleListDueAsync(10, Ct)).Items.ShouldBeEmpty();

        var taken = (await db.Schedules.ScheduleUpdateAsync(ws.Id, schedule.Id, schedule.Definition, colleague, Ct)).Schedule.ShouldNotBeNull();

        (taken.UserId, taken.OwnerRemoved).ShouldBe((colleague, false));
        (await db.Schedules.ScheduleListDueAsync(10, Ct)).Items.ShouldHaveSingleItem().Id.ShouldBe(schedule.Id);
        // An owner who is still a member keeps it, whoever edits.
        (await db.Schedules.ScheduleUpdateAsync(ws.Id, schedule.Id, schedule.Definition, ws.UserId, Ct)).Schedule.ShouldNotBeNull().UserId.ShouldBe(colleague);
    }

    private static async Task ExecuteAsync(TestDatabase db, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(Ct);
    }

    [Fact]
    public async Task Racing_firers_make_exactly_one_job_per_tick_and_move_the_schedule_on()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var leader = await ElectAsync(db);
        var ws = await db.NewWorkspaceAsync();
        var schedule = await DueScheduleAsync(db, ws, "* * * * *", TimeSpan.FromSeconds(10));
        var due = await db.Schedules.ScheduleListDueAsync(10, Ct);
        var read = due.Items.ShouldHaveSingleItem();

        var fires = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() => FireAsync(db, leader, read, due.Now))));

        var fired = fires.OfType<ScheduleFireResult>().ShouldHaveSingleItem();
        var job = fired.Job.ShouldNotBeNull();
        (job.ScheduleId, job.Type, job.Status, job.WorkspaceId, job.UserId).ShouldBe((schedule.Id, "demo", JobStatus.Pending, ws.Id, ws.UserId));
        fired.Hints.ShouldHaveSingleItem().JobId.ShouldBe(job.Id);
        var after = (await db.Schedules.ScheduleGetAsync(ws.Id, schedule.Id, Ct)).ShouldNotBeNull();
        after.NextRunAt.ShouldNotBeNull().ShouldBeGreaterThan(due.Now);
        after.LastJobId.ShouldBe(job.Id);
        after.LastRunAt.ShouldNotBeNull().ShouldBeInRange(read.NextRunAt!.Value, due.Now);
        (await db.Schedules.ScheduleListDueAsync(10, Ct)).Items.ShouldBeEmpty();
        (await db.Jobs.JobListAsync(new JobListParams(ws.Id, null, null, 10, null, schedule.Id), Ct)).Items.ShouldHaveSingleItem().Id.ShouldBe(job.Id);
    }

    [Fact]
    public async Task A_deposed_leader_fires_nothing_and_its_successor_fires_the_tick_once()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var old = (await db.Cluster.LeaderAttemptElectAsync("maintenance", "leader-1", TimeSpan.FromMilliseconds(100), Ct)).ShouldNotBeNull();
        var ws = await db.NewWorkspaceAsync();
        await DueScheduleAsync(db, ws, "* * * * *", TimeSpan.FromSeconds(10));
        var due = await db.Schedules.ScheduleListDueAsync(10, Ct);
        await Task.Delay(200, Ct);
        var successor = await ElectAsync(db, "leader-2");
        successor.Term.ShouldBe(old.Term + 1);

        (await FireAsync(db, old, due.Items[0], due.Now)).ShouldBeNull();
        (await FireAsync(db, successor, due.Items[0], due.Now)).ShouldNotBeNull().Job.ShouldNotBeNull();
        (await FireAsync(db, successor, due.Items[0], due.Now)).ShouldBeNull();

        (await ws.JobIdsAsync()).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_tick_has_one_job_even_when_the_schedule_is_set_back_to_it()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var leader = await ElectAsync(db);
        var ws = await db.NewWorkspaceAsync();
        var schedule = await DueScheduleAsync(db, ws, "* * * * *", TimeSpan.FromSeconds(10));
        var due = await db.Schedules.ScheduleListDueAsync(10, Ct);
        (await FireAsync(db, leader, due.Items[0], due.Now)).ShouldNotBeNull().Job.ShouldNotBeNull();
        var tick = (await db.Schedules.ScheduleGetAsync(ws.Id, schedule.Id, Ct)).ShouldNotBeNull().LastRunAt.ShouldNotBeNull();

        // As if next_run_at were lost: the same tick is due again, fired at that moment, and only the schedule moves on.
        await SetNextRunAtAsync(db, schedule.Id, tick);
        var again = await db.Schedules.ScheduleListDueAsync(10, Ct);
        var fired = (await FireAsync(db, leader, again.Items[0], tick)).ShouldNotBeNull();

        fired.Job.ShouldBeNull();
        (await ws.JobIdsAsync()).ShouldHaveSingleItem();
        (await db.Schedules.ScheduleListDueAsync(10, Ct)).Items.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(ScheduleMissedPolicy.RunOnce, 1)]
    [InlineData(ScheduleMissedPolicy.Skip, 0)]
    public async Task After_downtime_runOnce_makes_one_job_for_the_latest_tick_and_skip_none(string policy, int jobs)
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var leader = await ElectAsync(db);
        var ws = await db.NewWorkspaceAsync();
        // Daily, at a minute half an hour ago: the latest tick is always well past the one minute after which a tick
        // counts as missed, whatever the wall clock (an every-15-minutes schedule would not be missed in the first
        // minute after a quarter hour, and skip would rightly fire it).
        var latest = DateTimeOffset.UtcNow.AddMinutes(-30);
        latest = new DateTimeOffset(latest.Year, latest.Month, latest.Day, latest.Hour, latest.Minute, 0, TimeSpan.Zero);
        var schedule = await DueScheduleAsync(db, ws, $"{latest.Minute} {latest.Hour} * * *", TimeSpan.FromDays(3), policy);
        var due = await db.Schedules.ScheduleListDueAsync(10, Ct);

        var fired = (await FireAsync(db, leader, due.Items[0], due.Now)).ShouldNotBeNull();

        (await ws.JobIdsAsync()).Count.ShouldBe(jobs);
        var after = (await db.Schedules.ScheduleGetAsync(ws.Id, schedule.Id, Ct)).ShouldNotBeNull();
        after.NextRunAt.ShouldNotBeNull().ShouldBeGreaterThan(due.Now);
        if (fired.Job is { } job)
        {
            after.LastRunAt.ShouldBe(latest);
            after.LastJobId.ShouldBe(job.Id);
        }
    }

    [Fact]
    public async Task Deleting_a_schedule_keeps_its_jobs_without_it()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var leader = await ElectAsync(db);
        var ws = await db.NewWorkspaceAsync();
        var schedule = await DueScheduleAsync(db, ws, "* * * * *", TimeSpan.FromSeconds(10));
        var due = await db.Schedules.ScheduleListDueAsync(10, Ct);
        var job = (await FireAsync(db, leader, due.Items[0], due.Now)).ShouldNotBeNull().Job.ShouldNotBeNull();

        (await db.Schedules.ScheduleDeleteAsync(ws.Id, schedule.Id, Ct)).ShouldBeTrue();

        (await ws.GetAsync(job.Id)).ScheduleId.ShouldBeNull();
        (await db.Schedules.ScheduleDeleteAsync(ws.Id, schedule.Id, Ct)).ShouldBeFalse();
    }

    private static ScheduleDefinition Definition(string name, string cron, string zone = "UTC", string policy = ScheduleMissedPolicy.RunOnce) =>
        new(name, cron, zone, "demo", JsonDocument.Parse("{}").RootElement, 0, 3, 60, policy);

    /// <summary>A schedule whose next tick was <paramref name="ago"/> (rounded to one of its occurrences): as after downtime.</summary>
    private static async Task<Schedule> DueScheduleAsync(TestDatabase db, TestWorkspace ws, string cron, TimeSpan ago, string policy = ScheduleMissedPolicy.RunOnce)
    {
        var schedule = (await db.Schedules.ScheduleCreateAsync(ws.Id, ws.UserId, Definition($"s-{Guid.NewGuid():N}", cron, policy: policy), paused: false, Ct)).ShouldNotBeNull();
        var tick = ScheduleCron.Parse(cron, "UTC").NextAfter(DateTimeOffset.UtcNow - ago - TimeSpan.FromMinutes(1)).ShouldNotBeNull();
        await SetNextRunAtAsync(db, schedule.Id, tick);
        return schedule with { NextRunAt = tick };
    }

    private static async Task SetNextRunAtAsync(TestDatabase db, Guid scheduleId, DateTimeOffset at)
    {
        await using var command = db.DataSource.CreateCommand("UPDATE schedules SET next_run_at = @at WHERE id = @id");
        command.Parameters.AddWithValue("at", at.UtcDateTime);
        command.Parameters.AddWithValue("id", scheduleId);
        await command.ExecuteNonQueryAsync(Ct);
    }

    /// <summary>What the maintenance leader does for one due schedule (ScheduleFirer in the worker).</summary>
    private static Task<ScheduleFireResult?> FireAsync(TestDatabase db, LeaderTerm leader, Schedule read, DateTimeOffset now)
    {
        var d = read.Definition;
        var tick = ScheduleCron.Parse(d.Cron, d.TimeZone).Decide(read.NextRunAt!.Value, now, d.MissedPolicy, MissedAfter);
        var job = new JobInsertParams(d.Type, "default", d.Priority, d.Payload, null, d.MaxAttempts, d.TimeoutSeconds, null);
        return db.Schedules.ScheduleFireAsync(new ScheduleFireParams(leader, read, read.NextRunAt.Value, tick, job, 100), Ct);
    }

    private static async Task<LeaderTerm> ElectAsync(TestDatabase db, string leaderId = "leader-1") =>
        (await db.Cluster.LeaderAttemptElectAsync("maintenance", leaderId, TimeSpan.FromMinutes(1), Ct)).ShouldNotBeNull();
}
