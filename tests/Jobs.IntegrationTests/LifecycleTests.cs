using System.Net;
using System.Text.Json;
using Jobs.Contracts.Jobs;
using Jobs.IntegrationTests.Infrastructure;

namespace Jobs.IntegrationTests;

public sealed class LifecycleTests(Servers servers)
{
    [Fact]
    public async Task SubmittedJob_RunsToCompleted_ReportingProgressOnTheWay()
    {
        await using var cluster = await TestCluster.StartAsync(servers);

        var id = await cluster.Client.SubmitDemoAsync(items: 20, delayMs: 60);

        var seen = new HashSet<int>();
        await Eventually.TrueAsync(async () =>
        {
            var job = await cluster.Client.GetJobAsync(id);
            seen.Add(job.Progress);
            return job.Status == "completed";
        }, "the job to complete");
        var done = await cluster.Client.GetJobAsync(id);
        done.Progress.ShouldBe(100);
        done.ProcessedItems.ShouldBe(20);
        done.TotalItems.ShouldBe(20);
        done.Result!.Value.GetProperty("items").GetInt32().ShouldBe(20);
        done.Result!.Value.GetProperty("attempt").GetInt32().ShouldBe(1);
        done.CompletedAt.ShouldNotBeNull();
        seen.Count(p => p is > 0 and < 100).ShouldBeGreaterThanOrEqualTo(3, $"progress values seen: {string.Join(", ", seen.Order())}");
        (await cluster.Client.GetTimelineAsync(id)).Kinds().ShouldBe(["created", "started", "stage", "completed"]);
    }

    [Fact]
    public async Task FailingAttempts_AreRetriedWithBackoff_UntilOneSucceeds()
    {
        await using var cluster = await TestCluster.StartAsync(servers);

        var id = await cluster.Client.SubmitDemoAsync(items: 1, failAttempts: 2, maxAttempts: 3);

        var job = await cluster.Client.WaitForStatusAsync(id, "completed");
        job.Attempt.ShouldBe(3);
        job.Result!.Value.GetProperty("attempt").GetInt32().ShouldBe(3);
        job.Error.ShouldBeNull();
        var kinds = (await cluster.Client.GetTimelineAsync(id)).Kinds();
        kinds.Count(k => k == "retry_scheduled").ShouldBe(2);
        kinds.Count(k => k == "started").ShouldBe(3);
        kinds[^1].ShouldBe("completed");
    }

    [Fact]
    public async Task JobOutOfAttempts_EndsFailed_WithTheLastError()
    {
        await using var cluster = await TestCluster.StartAsync(servers);

        var id = await cluster.Client.SubmitDemoAsync(items: 1, failAttempts: 5, maxAttempts: 2);

        var job = await cluster.Client.WaitForStatusAsync(id, "failed");
        job.Attempt.ShouldBe(2);
        job.Error!.ShouldContain("Demo failure on attempt 2");
        job.CanRetry.ShouldBeTrue();
        job.CanCancel.ShouldBeFalse();
        // The second attempt starts in the stage the first one reached, so no new stage event.
        (await cluster.Client.GetTimelineAsync(id)).Kinds().ShouldBe(["created", "started", "stage", "retry_scheduled", "started", "failed"]);
    }

    [Fact]
    public async Task NonRetryableError_FailsAtOnce_WhateverTheAttemptBudget()
    {
        await using var cluster = await TestCluster.StartAsync(servers);

        var id = await cluster.Client.SubmitAsync(new { type = TestHandlers.FailPermanently.TypeName, payload = new { }, maxAttempts = 5 });

        var job = await cluster.Client.WaitForStatusAsync(id, "failed");
        job.Attempt.ShouldBe(1);
        job.Error.ShouldBe("The input can never work.");
    }

    [Fact]
    public async Task JobOverItsTimeout_IsStopped_AndFailsWhenOutOfAttempts()
    {
        await using var cluster = await TestCluster.StartAsync(servers);

        var id = await cluster.Client.SubmitDemoAsync(items: 100, delayMs: 100, maxAttempts: 1, timeoutSeconds: 1);

        var job = await cluster.Client.WaitForStatusAsync(id, "failed");
        job.Error!.ShouldStartWith("Timed out after 1 s");
        job.ProcessedItems.ShouldNotBeNull().ShouldBeLessThan(100);
    }

    [Fact]
    public async Task Batch_SubmitsEveryJobInOneRequest_AndAllComplete()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 2, maxConcurrentJobs: 50);

        var jobs = Enumerable.Range(0, 40).Select(i => new { type = "demo", payload = new { items = i % 3 } }).ToArray();
        var (status, body) = await cluster.Client.PostAsync("/api/jobs/batch", new { jobs });

        status.ShouldBe(HttpStatusCode.Accepted);
        var ids = body.As<SubmitBatchResponse>().Jobs.Select(j => j.JobId).ToList();
        ids.Count.ShouldBe(40);
        ids.Distinct().Count().ShouldBe(40);
        foreach (var id in ids)
        {
            await cluster.Client.WaitForStatusAsync(id, "completed");
        }
    }

    [Fact]
    public async Task WorkspaceConcurrencyLimit_HoldsJobsBack_WithoutRejectingAny()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 2, maxConcurrentJobs: 2);

        var ids = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await cluster.Client.SubmitDemoAsync(items: 4, delayMs: 100));
        }

        var maxProcessing = 0L;
        await Eventually.TrueAsync(async () =>
        {
            var processing = await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE status = 'processing'");
            maxProcessing = Math.Max(maxProcessing, processing);
            return await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE status = 'completed'") == 6;
        }, "all six jobs to complete");
        maxProcessing.ShouldBe(2);
    }
}
