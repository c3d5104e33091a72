using System.Diagnostics;
using System.Net;
using Jobs.IntegrationTests.Infrastructure;

namespace Jobs.IntegrationTests;

public sealed class CancelAndRetryTests(Servers servers)
{
    [Fact]
    public async Task CancellingAPendingJob_CancelsItAtOnce_AndASecondCancelIsAConflict()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var id = await cluster.Client.SubmitDemoAsync(items: 1);

        var (status, job) = await cluster.Client.PostAsync($"/api/jobs/{id}/cancel");

        status.ShouldBe(HttpStatusCode.OK);
        job.Status().ShouldBe("cancelled");
        var (again, problem) = await cluster.Client.PostAsync($"/api/jobs/{id}/cancel");
        again.ShouldBe(HttpStatusCode.Conflict);
        problem.GetProperty("code").GetString().ShouldBe("invalid_transition");

        // A worker that starts later finds the hint and drops it.
        await cluster.StartWorkerAsync();
        await Task.Delay(500);
        (await cluster.Client.GetJobAsync(id)).Status.ShouldBe("cancelled");
    }

    [Fact]
    public async Task CancellingAProcessingJob_StopsItsHandlerWithinASecond()
    {
        await using var cluster = await TestCluster.StartAsync(servers);
        var id = await cluster.Client.SubmitDemoAsync(items: 1000, delayMs: 50);
        await Eventually.TrueAsync(async () => (await cluster.Client.GetJobAsync(id)).ProcessedItems > 2, "the job to make progress");

        var stopwatch = Stopwatch.StartNew();
        var (status, requested) = await cluster.Client.PostAsync($"/api/jobs/{id}/cancel");
        status.ShouldBe(HttpStatusCode.OK);
        requested.Status().ShouldBe("processing");
        requested.GetProperty("cancelRequestedAt").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.String);
        var job = await cluster.Client.WaitForStatusAsync(id, "cancelled", TimeSpan.FromSeconds(5));
        stopwatch.Stop();

        stopwatch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        job.ProcessedItems.ShouldNotBeNull().ShouldBeLessThan(1000);
        (await cluster.Client.GetTimelineAsync(id)).Kinds()[^2..].ShouldBe(["cancel_requested", "cancelled"]);
    }

    [Fact]
    public async Task RetryingAFailedJob_RunsItAgainWithAFreshAttemptBudget()
    {
        await using var cluster = await TestCluster.StartAsync(servers);
        var id = await cluster.Client.SubmitDemoAsync(items: 1, failAttempts: 1, maxAttempts: 1);
        await cluster.Client.WaitForStatusAsync(id, "failed");

        var (status, retried) = await cluster.Client.PostAsync($"/api/jobs/{id}/retry");

        status.ShouldBe(HttpStatusCode.OK);
        retried.Status().ShouldBe("pending");
        retried.GetProperty("maxAttempts").GetInt32().ShouldBe(2);
        var job = await cluster.Client.WaitForStatusAsync(id, "completed");
        job.Attempt.ShouldBe(2);
        (await cluster.Client.GetTimelineAsync(id)).Kinds().ShouldContain("retried");
    }

    [Fact]
    public async Task RetryingACancelledJob_RunsIt()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var id = await cluster.Client.SubmitDemoAsync(items: 2);
        (await cluster.Client.PostAsync($"/api/jobs/{id}/cancel")).Status.ShouldBe(HttpStatusCode.OK);
        await cluster.StartWorkerAsync();

        var (status, _) = await cluster.Client.PostAsync($"/api/jobs/{id}/retry");

        status.ShouldBe(HttpStatusCode.OK);
        (await cluster.Client.WaitForStatusAsync(id, "completed")).Result!.Value.GetProperty("items").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task RetryingAJobThatDidNotFail_IsAConflict()
    {
        await using var cluster = await TestCluster.StartAsync(servers);
        var id = await cluster.Client.SubmitDemoAsync(items: 1);
        await cluster.Client.WaitForStatusAsync(id, "completed");

        var (status, problem) = await cluster.Client.PostAsync($"/api/jobs/{id}/retry");
        status.ShouldBe(HttpStatusCode.Conflict);
        problem.GetProperty("code").GetString().ShouldBe("invalid_transition");
        problem.GetProperty("status").GetInt32().ShouldBe(409);
        (await cluster.Client.PostAsync($"/api/jobs/{id}/cancel")).Status.ShouldBe(HttpStatusCode.Conflict);
    }
}
