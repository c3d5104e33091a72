using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Jobs.Contracts.Jobs;
using Jobs.Contracts.Pauses;
using Jobs.IntegrationTests.Infrastructure;

namespace Jobs.IntegrationTests;

/// <summary>
/// <c>/api/pauses</c> over HTTP with a worker running (docs/design.md, "Pausing"): a paused job type's new jobs stay
/// pending and say why while other types and other workspaces run, the job already running is not interrupted, a
/// resume starts them at once; only admins pause, and bad or unknown names are answered with problem details.
/// </summary>
public sealed class PausesApiTests(Servers servers)
{
    [Fact]
    public async Task A_paused_type_waits_while_others_run_and_starts_at_once_when_resumed()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 1);
        var admin = cluster.Client;
        var (other, _) = await cluster.CreateWorkspaceClientAsync();
        var running = await admin.SubmitDemoAsync(items: 4, delayMs: 400);
        await admin.WaitForStatusAsync(running, JobStatus.Processing);

        var (paused, pause) = await admin.SendJsonAsync(HttpMethod.Put, "/api/pauses/types/demo");
        paused.ShouldBe(HttpStatusCode.OK);
        pause.As<PauseResponse>().Name.ShouldBe("demo");
        var held = await admin.SubmitDemoAsync(items: 1);
        var otherType = await admin.SubmitAsync(new { type = TestHandlers.FailPermanently.TypeName, payload = new { } });
        var elsewhere = await other.SubmitDemoAsync(items: 1);

        // Another type of the workspace, and the same type in another workspace, run; the running job finishes.
        await admin.WaitForStatusAsync(otherType, JobStatus.Failed);
        await other.WaitForStatusAsync(elsewhere, JobStatus.Completed);
        var finished = await admin.WaitForStatusAsync(running, JobStatus.Completed);
        (finished.Attempt, finished.Progress).ShouldBe((1, 100));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var waiting = await admin.GetJobAsync(held);
        (waiting.Status, waiting.WaitingReason).ShouldBe((JobStatus.Pending, JobWaitingReason.TypePaused));
        (await admin.GetFromJsonAsync<JobListResponse>("/api/jobs?status=pending"))!.Items.ShouldHaveSingleItem().WaitingReason
            .ShouldBe(JobWaitingReason.TypePaused);
        (await admin.GetJobAsync(finished.Id)).WaitingReason.ShouldBeNull();

        var clock = Stopwatch.StartNew();
        (await admin.SendJsonAsync(HttpMethod.Delete, "/api/pauses/types/demo")).Status.ShouldBe(HttpStatusCode.NoContent);
        await admin.WaitForStatusAsync(held, JobStatus.Completed, TimeSpan.FromSeconds(5));
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        (await admin.GetJobAsync(held)).WaitingReason.ShouldBeNull();
    }

    [Fact]
    public async Task Members_read_the_pauses_and_only_admins_change_them_idempotently()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var admin = cluster.Client;
        var (member, _, _) = await cluster.AddUserAsync(admin, "member");

        var (first, firstBody) = await admin.SendJsonAsync(HttpMethod.Put, "/api/pauses/queues/default");
        var (second, secondBody) = await admin.SendJsonAsync(HttpMethod.Put, "/api/pauses/queues/default");
        (first, second).ShouldBe((HttpStatusCode.OK, HttpStatusCode.OK));
        secondBody.As<PauseResponse>().ShouldBe(firstBody.As<PauseResponse>());
        firstBody.As<PauseResponse>().PausedBy.ShouldBe(cluster.Caller.UserId);

        var list = (await member.GetFromJsonAsync<PauseListResponse>("/api/pauses"))!;
        list.Queues.ShouldHaveSingleItem().Name.ShouldBe("default");
        list.Types.ShouldBeEmpty();
        (await member.SendJsonAsync(HttpMethod.Put, "/api/pauses/types/demo")).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await member.SendJsonAsync(HttpMethod.Delete, "/api/pauses/queues/default")).Status.ShouldBe(HttpStatusCode.Forbidden);

        var job = await member.SubmitDemoAsync(items: 1);
        (await member.GetJobAsync(job)).WaitingReason.ShouldBe(JobWaitingReason.QueuePaused);

        (await admin.SendJsonAsync(HttpMethod.Delete, "/api/pauses/queues/default")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await admin.SendJsonAsync(HttpMethod.Delete, "/api/pauses/queues/default")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await admin.GetFromJsonAsync<PauseListResponse>("/api/pauses"))!.Queues.ShouldBeEmpty();
        var audit = await admin.ItemsAsync("/api/audit");
        audit.Select(e => e.GetProperty("action").GetString()).Take(2).ShouldBe(["queue.resumed", "queue.paused"]);
    }

    [Theory]
    [InlineData("/api/pauses/types/no.such.type", HttpStatusCode.NotFound, "job_type_not_found")]
    [InlineData("/api/pauses/queues/nowhere", HttpStatusCode.NotFound, "queue_not_found")]
    [InlineData("/api/pauses/types/bad%20name", HttpStatusCode.BadRequest, "validation_failed")]
    [InlineData("/api/pauses/queues/-leading", HttpStatusCode.BadRequest, "validation_failed")]
    public async Task Unknown_and_bad_names_are_refused_with_problem_details(string path, HttpStatusCode status, string code)
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);

        var (answer, problem) = await cluster.Client.SendJsonAsync(HttpMethod.Put, path);

        answer.ShouldBe(status);
        problem.GetProperty("code").GetString().ShouldBe(code);
        if (status == HttpStatusCode.BadRequest)
        {
            problem.GetProperty("errors").EnumerateObject().ShouldHaveSingleItem().Name.ShouldBe(path.Contains("/types/") ? "type" : "queue");
        }

        (await cluster.Client.GetFromJsonAsync<PauseListResponse>("/api/pauses"))!.Types.ShouldBeEmpty();
    }
}
