using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Contracts.Schedules;
using Jobs.IntegrationTests.Infrastructure;

namespace Jobs.IntegrationTests;

/// <summary>
/// <c>/api/schedules</c> over HTTP: the round trip of a schedule, run now, who may delete, and bad input answered with
/// problem details naming the field, never a 500. No workers run here, so no tick fires on its own.
/// </summary>
public sealed class SchedulesApiTests(Servers servers)
{
    [Fact]
    public async Task A_schedule_round_trip_with_run_now_and_the_jobs_it_made()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var client = cluster.Client;

        var (created, body) = await client.SendJsonAsync(HttpMethod.Post, "/api/schedules", new
        {
            name = "weekday report",
            cron = "0 9 * * 1-5",
            timeZone = "Europe/Berlin",
            type = "demo",
            payload = new { items = 1 },
            priority = 5,
        });

        created.ShouldBe(HttpStatusCode.Created);
        var schedule = Schedule(body);
        var id = schedule.Id;
        schedule.Description.ShouldBe("every weekday at 09:00 (Europe/Berlin)");
        (schedule.MissedPolicy, schedule.Paused).ShouldBe((ScheduleMissedPolicy.RunOnce, false));
        (schedule.MaxAttempts, schedule.Priority).ShouldBe((3, 5));
        var got = (await client.GetFromJsonAsync<ScheduleResponse>($"/api/schedules/{id}"))!;
        got.NextRuns.Count.ShouldBe(ScheduleResponse.NextRunCount);
        got.NextRuns[0].ShouldBe(got.NextRunAt.ShouldNotBeNull());
        got.NextRuns.ShouldBeInOrder();
        (await client.GetFromJsonAsync<ScheduleListResponse>("/api/schedules"))!.Items.ShouldHaveSingleItem().Id.ShouldBe(id);

        var (patched, edited) = await client.SendJsonAsync(HttpMethod.Patch, $"/api/schedules/{id}", new { name = "daily report", cron = "30 2 * * *" });
        patched.ShouldBe(HttpStatusCode.OK);
        (Schedule(edited).Name, Schedule(edited).Type).ShouldBe(("daily report", "demo"));
        Schedule(edited).Description.ShouldBe("every day at 02:30 (Europe/Berlin)");

        var paused = Schedule((await client.PostAsync($"/api/schedules/{id}/pause")).Body);
        (paused.Paused, paused.NextRunAt).ShouldBe((true, null));
        paused.NextRuns.ShouldBeEmpty();
        var resumed = Schedule((await client.PostAsync($"/api/schedules/{id}/resume")).Body);
        resumed.NextRunAt.ShouldNotBeNull();

        var (ran, submitted) = await client.PostAsync($"/api/schedules/{id}/run");
        ran.ShouldBe(HttpStatusCode.Accepted);
        var jobId = submitted.GetProperty("jobId").GetGuid();
        var job = await client.GetJobAsync(jobId);
        (job.ScheduleId, job.Type, job.Priority).ShouldBe((id, "demo", 5));
        await client.SubmitDemoAsync(items: 1);
        (await client.ItemsAsync($"/api/jobs?scheduleId={id}")).ShouldHaveSingleItem().GetProperty("id").GetGuid().ShouldBe(jobId);
        // A run now is not a tick: the schedule's next tick and last run are as they were.
        var after = (await client.GetFromJsonAsync<ScheduleResponse>($"/api/schedules/{id}"))!;
        (after.LastRunAt, after.NextRunAt).ShouldBe((null, resumed.NextRunAt));

        (await client.SendJsonAsync(HttpMethod.Delete, $"/api/schedules/{id}")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await client.SendJsonAsync(HttpMethod.Get, $"/api/schedules/{id}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetJobAsync(jobId)).ScheduleId.ShouldBeNull();
    }

    [Fact]
    public async Task A_name_is_unique_in_a_workspace_and_only_the_creator_or_an_admin_deletes()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (member, _, _) = await cluster.AddUserAsync(cluster.Client, "member");
        var adminsId = await CreateAsync(cluster.Client, "admin's");
        var membersId = await CreateAsync(member, "member's");

        var (duplicate, problem) = await member.SendJsonAsync(HttpMethod.Post, "/api/schedules", Body("admin's"));
        duplicate.ShouldBe(HttpStatusCode.Conflict);
        problem.GetProperty("code").GetString().ShouldBe("schedule_name_taken");
        (await member.SendJsonAsync(HttpMethod.Patch, $"/api/schedules/{membersId}", new { name = "admin's" })).Status.ShouldBe(HttpStatusCode.Conflict);

        var (forbidden, refusal) = await member.SendJsonAsync(HttpMethod.Delete, $"/api/schedules/{adminsId}");
        forbidden.ShouldBe(HttpStatusCode.Forbidden);
        refusal.GetProperty("code").GetString().ShouldBe("forbidden");
        (await member.PostAsync($"/api/schedules/{adminsId}/pause")).Status.ShouldBe(HttpStatusCode.OK);
        (await member.SendJsonAsync(HttpMethod.Delete, $"/api/schedules/{membersId}")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await cluster.Client.SendJsonAsync(HttpMethod.Delete, $"/api/schedules/{adminsId}")).Status.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_schedule_whose_owner_was_removed_says_it_is_stopped_until_a_member_edits_it_and_takes_it_over()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (leaver, leaverId, _) = await cluster.AddUserAsync(cluster.Client, "member");
        var id = await CreateAsync(leaver, "leaver's");
        (await cluster.Client.GetFromJsonAsync<ScheduleResponse>($"/api/schedules/{id}"))!.StoppedReason.ShouldBeNull();

        (await cluster.Client.SendJsonAsync(HttpMethod.Delete, $"/api/users/{leaverId}")).Status.ShouldBe(HttpStatusCode.NoContent);

        var stopped = (await cluster.Client.GetFromJsonAsync<ScheduleResponse>($"/api/schedules/{id}"))!;
        (stopped.StoppedReason, stopped.CreatedBy).ShouldBe((ScheduleStoppedReasons.OwnerRemoved, leaverId));
        var (status, body) = await cluster.Client.SendJsonAsync(HttpMethod.Patch, $"/api/schedules/{id}", new { priority = 7 });
        status.ShouldBe(HttpStatusCode.OK);
        var taken = Schedule(body);
        (taken.StoppedReason, taken.CreatedBy, taken.Priority).ShouldBe((null, cluster.Caller.UserId, 7));
    }

    [Fact]
    public async Task A_patch_to_another_type_takes_that_types_attempts_and_timeout_unless_it_sets_them()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var id = await CreateAsync(cluster.Client, "retyped");

        var (status, body) = await cluster.Client.SendJsonAsync(HttpMethod.Patch, $"/api/schedules/{id}", new { type = TestHandlers.FailPermanently.TypeName, payload = new { } });
        var (_, kept) = await cluster.Client.SendJsonAsync(HttpMethod.Patch, $"/api/schedules/{id}", new { priority = 3 });

        status.ShouldBe(HttpStatusCode.OK);
        var retyped = Schedule(body);
        (retyped.Type, retyped.MaxAttempts, retyped.TimeoutSeconds).ShouldBe((TestHandlers.FailPermanently.TypeName, 5, 60));
        (Schedule(kept).MaxAttempts, Schedule(kept).TimeoutSeconds).ShouldBe((5, 60));
    }

    [Theory]
    [InlineData("""{"cron":"* * * *"}""", "cron", "must have 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), has 4.")]
    [InlineData("""{"cron":"61 * * * *"}""", "cron", "is not a valid cron expression")]
    [InlineData("""{"cron":"0 0 30 2 *"}""", "cron", "never occurs")]
    [InlineData("""{"timeZone":"Mars/Olympus_Mons"}""", "timeZone", "'Mars/Olympus_Mons' is not a known IANA time zone")]
    [InlineData("""{"type":"no.such.type"}""", "type", "'no.such.type' is not a known job type.")]
    [InlineData("""{"payload":{"items":"many"}}""", "payload.items", "must be an integer, not a string.")]
    [InlineData("""{"payload":[1]}""", "payload", "must be a JSON object.")]
    [InlineData("""{"priority":1000}""", "priority", "must be between -100 and 100.")]
    [InlineData("""{"maxAttempts":0}""", "maxAttempts", "must be between 1 and 25.")]
    [InlineData("""{"missedPolicy":"always"}""", "missedPolicy", "must be one of runOnce, skip.")]
    [InlineData("""{"name":""}""", "name", "is required.")]
    [InlineData("""{"workspaceId":"x"}""", "workspaceId", "is set by the server and cannot be given by a client.")]
    [InlineData("""{"nextRunAt":"2030-01-01T00:00:00Z"}""", "nextRunAt", "is set by the server and cannot be given by a client.")]
    public async Task Bad_input_answers_a_validation_problem_naming_the_field(string change, string field, string message)
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (status, problem) = await cluster.Client.SendRawAsync(HttpMethod.Post, "/api/schedules", JsonBodies.With(Body("bad"), change));

        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("code").GetString().ShouldBe("validation_failed");
        problem.GetProperty("errors").GetProperty(field)[0].GetString().ShouldNotBeNull().ShouldStartWith(message);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM schedules")).ShouldBe(0);
    }

    [Fact]
    public async Task A_bulk_type_may_not_fire_more_often_than_the_workspaces_bulk_jobs_per_hour()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var payload = new { businessType = "bakery", location = "Lyon", maxResults = 5, minConfidenceScore = 50 };

        var (tooOften, problem) = await cluster.Client.SendJsonAsync(HttpMethod.Post, "/api/schedules",
            new { name = "leads", cron = "* * * * *", timeZone = "UTC", type = "leads.discover", payload });
        var (hourly, _) = await cluster.Client.SendJsonAsync(HttpMethod.Post, "/api/schedules",
            new { name = "leads", cron = "0 * * * *", timeZone = "UTC", type = "leads.discover", payload });

        tooOften.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("cron")[0].GetString().ShouldBe(
            "fires more than 10 times in an hour: leads.discover is a bulk job type, and this workspace allows 10 bulk jobs an hour per user (bulk_jobs_per_hour).");
        hourly.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_payload_error_has_the_same_shape_as_a_submits()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        const string payload = """{"items":"many","delayMs":-5}""";

        var (_, submit) = await cluster.Client.SendRawAsync(HttpMethod.Post, "/api/jobs", $$"""{"type":"demo","payload":{{payload}}}""");
        var (_, schedule) = await cluster.Client.SendRawAsync(HttpMethod.Post, "/api/schedules",
            $$"""{"name":"n","cron":"* * * * *","timeZone":"UTC","type":"demo","payload":{{payload}}}""");

        schedule.GetProperty("errors").GetRawText().ShouldBe(submit.GetProperty("errors").GetRawText());
    }

    [Fact]
    public async Task Bad_ids_and_queries_answer_problems()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);

        foreach (var path in new[] { "/api/schedules/not-a-guid", $"/api/schedules/{Guid.NewGuid()}" })
        {
            var (status, problem) = await cluster.Client.SendJsonAsync(HttpMethod.Get, path);
            status.ShouldBe(HttpStatusCode.NotFound);
            problem.GetProperty("code").GetString().ShouldBe("schedule_not_found");
        }

        (await cluster.Client.SendJsonAsync(HttpMethod.Get, "/api/jobs?scheduleId=nope")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await cluster.Client.SendJsonAsync(HttpMethod.Get, "/api/schedules?limit=0")).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    private static object Body(string name) => new { name, cron = "*/5 * * * *", timeZone = "UTC", type = "demo", payload = new { items = 1 } };

    private static async Task<Guid> CreateAsync(HttpClient client, string name)
    {
        var (status, schedule) = await client.SendJsonAsync(HttpMethod.Post, "/api/schedules", Body(name));
        status.ShouldBe(HttpStatusCode.Created);
        return schedule.GetProperty("id").GetGuid();
    }

    private static ScheduleResponse Schedule(JsonElement body) => body.Deserialize<ScheduleResponse>(JsonSerializerOptions.Web).ShouldNotBeNull();
}
