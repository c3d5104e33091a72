using System.Net;
using System.Text;
using System.Text.Json;
using Jobs.Client;
using Jobs.Contracts.Jobs;
using Jobs.Contracts.Schedules;
using Jobs.Contracts.Templates;
using Jobs.IntegrationTests.Infrastructure;

namespace Jobs.IntegrationTests;

/// <summary>
/// Jobs.Client's calls beyond submit and watch against the real API: files, job types, dependencies, the job list's
/// filters, schedules and templates; another workspace's ids are not found (docs/api.md, ".NET client").
/// </summary>
public sealed class JobsClientAreasTests(Servers servers)
{
    [Fact]
    public async Task Upload_IsStoredWithItsNameAndType_AndAJobFileOpensAsAStream_OrIsNotFound()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var client = TypedClients.Of(cluster);
        var csv = Encoding.UTF8.GetBytes("email\nada@example.com\n");

        var upload = await client.UploadAsync(new MemoryStream(csv), "contacts.csv", "text/csv");
        var untyped = await client.UploadAsync(new MemoryStream(csv), "blob.bin", contentType: null);

        (upload.Name, upload.Size, upload.ContentType).ShouldBe(("contacts.csv", (long)csv.Length, "text/csv"));
        untyped.ContentType.ShouldBe("application/octet-stream");

        var jobId = await cluster.Client.SubmitDemoAsync(items: 1);
        await cluster.ScalarAsync<int>("""
            INSERT INTO job_files (job_id, workspace_id, name, content_type, size, content_oid)
            VALUES (@job_id, @w, 'out-1.csv', 'text/csv', 3, lo_from_bytea(0, convert_to('a,b', 'UTF8')))
            """, ("job_id", jobId), ("w", cluster.Caller.WorkspaceId));
        await using (var file = await client.OpenJobFileAsync(jobId, "out-1.csv"))
        {
            (await new StreamReader(file).ReadToEndAsync()).ShouldBe("a,b");
        }

        await Should.ThrowAsync<JobsNotFoundException>(() => client.OpenJobFileAsync(jobId, "other.csv"));
        var other = await OtherWorkspaceAsync(cluster);
        await Should.ThrowAsync<JobsNotFoundException>(() => other.OpenJobFileAsync(jobId, "out-1.csv"));
    }

    [Fact]
    public async Task JobTypes_Dependencies_AndTheListsScheduleFilter_ReadAsTyped_AndAnotherWorkspacesJobIsNotFound()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var client = TypedClients.Of(cluster);

        (await client.ListJobTypesAsync()).Select(t => t.Name).ShouldContain("demo");
        var first = (await client.SubmitAsync("demo", new { items = 1 })).JobId;
        var second = (await client.SubmitAsync(JobsClient.Job("demo", new { items = 1 }) with { DependsOn = [first.ToString()] })).JobId;

        var dependencies = await client.GetDependenciesAsync(second);
        var dependents = await client.ListDependentsAsync(first, limit: 10);

        (dependencies.Items.Single().Id, dependencies.WaitingFor).ShouldBe((first, 1));
        (dependents.Items.Single().Id, dependents.NextCursor).ShouldBe((second, null));
        (await client.GetDependenciesAsync(first)).Items.ShouldBeEmpty();

        var schedule = await client.CreateScheduleAsync(new ScheduleRequest("hourly", "0 * * * *", "UTC", "demo", Payload(new { items = 1 })));
        var ran = await client.RunScheduleAsync(schedule.Id);
        (await client.ListAsync(new JobListQuery(ScheduleId: schedule.Id))).Items.Select(j => j.Id).ShouldBe([ran.JobId]);
        (await client.ListAllAsync(new JobListQuery(Status: JobStatus.Pending, Type: "demo"), pageSize: 1).ToListAsync()).Count.ShouldBe(3);
        (await client.ListAsync(new JobListQuery(ScheduleId: Guid.NewGuid()))).Items.ShouldBeEmpty();

        var other = await OtherWorkspaceAsync(cluster);
        await Should.ThrowAsync<JobsNotFoundException>(() => other.GetDependenciesAsync(second));
        await Should.ThrowAsync<JobsNotFoundException>(() => other.ListDependentsAsync(first));
        (await other.ListAsync(new JobListQuery(ScheduleId: schedule.Id))).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task Schedules_CreateReadUpdatePauseRunAndDelete_AndBadFieldsAreErrorsOnTheBaseException()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var client = TypedClients.Of(cluster);

        var created = await client.CreateScheduleAsync(new ScheduleRequest("nightly", "0 3 * * *", "UTC", "demo", Payload(new { items = 2 })));
        var renamed = await client.UpdateScheduleAsync(created.Id, new ScheduleRequest(Name: "nightly export"));
        var paused = await client.SetSchedulePausedAsync(created.Id, paused: true);
        var resumed = await client.SetSchedulePausedAsync(created.Id, paused: false);

        (renamed.Name, renamed.Cron, renamed.Type).ShouldBe(("nightly export", "0 3 * * *", "demo"));
        (paused.Paused, resumed.Paused).ShouldBe((true, false));
        (await client.GetScheduleAsync(created.Id)).ShouldNotBeNull().Name.ShouldBe("nightly export");
        (await client.ListSchedulesAsync(limit: 10)).Items.Select(s => s.Id).ShouldBe([created.Id]);
        (await client.RunScheduleAsync(created.Id)).Status.ShouldBe(JobStatus.Pending);

        JobsApiException invalid = await Should.ThrowAsync<JobsValidationException>(() =>
            client.CreateScheduleAsync(new ScheduleRequest("broken", "not a cron", "UTC", "demo", Payload(new { items = 1 }))));
        invalid.Errors.Keys.ShouldContain("cron");
        (await Should.ThrowAsync<JobsConflictException>(() =>
            client.CreateScheduleAsync(new ScheduleRequest("nightly export", "0 3 * * *", "UTC", "demo", Payload(new { items = 1 }))))).Code.ShouldBe("schedule_name_taken");

        var other = await OtherWorkspaceAsync(cluster);
        (await other.GetScheduleAsync(created.Id)).ShouldBeNull();
        await Should.ThrowAsync<JobsNotFoundException>(() => other.UpdateScheduleAsync(created.Id, new ScheduleRequest(Name: "mine")));
        await Should.ThrowAsync<JobsNotFoundException>(() => other.SetSchedulePausedAsync(created.Id, true));
        await Should.ThrowAsync<JobsNotFoundException>(() => other.RunScheduleAsync(created.Id));
        await Should.ThrowAsync<JobsNotFoundException>(() => other.DeleteScheduleAsync(created.Id));

        await client.DeleteScheduleAsync(created.Id);
        (await client.GetScheduleAsync(created.Id)).ShouldBeNull();
    }

    [Fact]
    public async Task Templates_CreateReadListAndDelete_AndAnotherWorkspacesTemplateIsNotFound()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var client = TypedClients.Of(cluster);

        var created = await client.CreateTemplateAsync(new TemplateRequest("ten items", "demo", Payload(new { items = 10 }), Priority: 3));

        (created.Name, created.Type, created.Priority).ShouldBe(("ten items", "demo", 3));
        (await client.GetTemplateAsync(created.Id)).ShouldNotBeNull().Payload.GetProperty("items").GetInt32().ShouldBe(10);
        (await client.ListTemplatesAsync(limit: 5)).Items.Select(t => t.Id).ShouldBe([created.Id]);
        (await Should.ThrowAsync<JobsConflictException>(() =>
            client.CreateTemplateAsync(new TemplateRequest("ten items", "demo", Payload(new { items = 1 }))))).Status.ShouldBe(HttpStatusCode.Conflict);

        var other = await OtherWorkspaceAsync(cluster);
        (await other.GetTemplateAsync(created.Id)).ShouldBeNull();
        await Should.ThrowAsync<JobsNotFoundException>(() => other.DeleteTemplateAsync(created.Id));

        await client.DeleteTemplateAsync(created.Id);
        (await client.GetTemplateAsync(created.Id)).ShouldBeNull();
    }

    internal static JsonElement Payload(object payload) => JsonSerializer.SerializeToElement(payload, JsonSerializerOptions.Web);

    /// <summary>The client of a second workspace on the same cluster.</summary>
    internal static async Task<JobsClient> OtherWorkspaceAsync(TestCluster cluster)
    {
        var (http, _, key) = await cluster.CreateWorkspaceAsync();
        return new JobsClient(http, key);
    }
}
