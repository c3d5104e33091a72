using System.Net;
using System.Text.Json;
using Jobs.Contracts.Jobs;
using Jobs.Core.Identity;
using Jobs.IntegrationTests.Infrastructure;
using Jobs.Worker.Handlers.Contacts;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.IntegrationTests;

/// <summary>
/// The workspace's limits as an admin reads and changes them: every field validated and named, the change kept to the
/// caller's workspace, and picked up by the next job without a restart.
/// </summary>
public sealed class WorkspaceLimitsTests(Servers servers)
{
    private static readonly object NewLimits = new
    {
        maxConcurrentJobs = 7,
        maxBatchItems = 500,
        bulkJobsPerHour = 42,
        requestsPerMinute = 1200,
        subscribeBatchSize = 25,
        subscribeBatchPauseMs = 0,
    };

    [Fact]
    public async Task Workspace_ShowsItsLimits_TheCallersRole_AndJobsProcessingAndPending()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 1, maxConcurrentJobs: 2);
        for (var i = 0; i < 4; i++)
        {
            await cluster.Client.SubmitDemoAsync(items: 100, delayMs: 100);
        }

        JsonElement workspace = default;
        await Eventually.TrueAsync(async () =>
        {
            workspace = (await cluster.Client.SendJsonAsync(HttpMethod.Get, "/api/workspace")).Body;
            return workspace.GetProperty("usage").GetProperty("processing").GetInt64() == 2;
        }, "two jobs to be processing");

        workspace.GetProperty("id").GetGuid().ShouldBe(cluster.Caller.WorkspaceId);
        workspace.GetProperty("role").GetString().ShouldBe("admin");
        workspace.GetProperty("usage").GetProperty("pending").GetInt64().ShouldBe(2);
        var limits = workspace.GetProperty("limits");
        limits.GetProperty("maxConcurrentJobs").GetInt32().ShouldBe(2);
        limits.GetProperty("maxBatchItems").GetInt32().ShouldBe(1000);
        limits.EnumerateObject().Select(p => p.Name).Order().ShouldBe(
            ["bulkJobsPerHour", "maxBatchItems", "maxConcurrentJobs", "requestsPerMinute", "subscribeBatchPauseMs", "subscribeBatchSize"]);
        var (other, _) = await cluster.CreateWorkspaceClientAsync();
        using var _ = other;
        var theirs = (await other.SendJsonAsync(HttpMethod.Get, "/api/workspace")).Body.GetProperty("usage");
        (theirs.GetProperty("processing").GetInt64(), theirs.GetProperty("pending").GetInt64()).ShouldBe((0, 0));
    }

    [Fact]
    public async Task PutLimits_ReplacesAllSix_AnswersLikeGet_AndLeavesOtherWorkspacesAlone()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (other, otherCaller) = await cluster.CreateWorkspaceClientAsync();
        using var _ = other;
        var theirsBefore = (await other.SendJsonAsync(HttpMethod.Get, "/api/workspace")).Body.GetProperty("limits").ToString();

        var (status, body) = await cluster.Client.SendJsonAsync(HttpMethod.Put, "/api/workspace/limits", NewLimits);

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("limits").ToString().ShouldBe(JsonSerializer.Serialize(NewLimits));
        (await cluster.Client.SendJsonAsync(HttpMethod.Get, "/api/workspace")).Body.ToString().ShouldBe(body.ToString());
        (await cluster.ScalarAsync<string>("""
            SELECT concat_ws(',', max_concurrent_jobs, max_batch_items, bulk_jobs_per_hour, requests_per_minute, subscribe_batch_size, subscribe_batch_pause_ms)
            FROM workspaces WHERE id = @id
            """, ("id", cluster.Caller.WorkspaceId))).ShouldBe("7,500,42,1200,25,0");
        (await other.SendJsonAsync(HttpMethod.Get, "/api/workspace")).Body.GetProperty("limits").ToString().ShouldBe(theirsBefore);
        (await cluster.ScalarAsync<int>("SELECT max_concurrent_jobs FROM workspaces WHERE id = @id", ("id", otherCaller.WorkspaceId))).ShouldBe(5);
    }

    [Theory]
    [InlineData("maxConcurrentJobs", 0)]
    [InlineData("maxConcurrentJobs", 1001)]
    [InlineData("maxBatchItems", 0)]
    [InlineData("maxBatchItems", 1001)]
    [InlineData("bulkJobsPerHour", 0)]
    [InlineData("bulkJobsPerHour", 100001)]
    [InlineData("requestsPerMinute", 0)]
    [InlineData("requestsPerMinute", 1000001)]
    [InlineData("subscribeBatchSize", 0)]
    [InlineData("subscribeBatchSize", 1001)]
    [InlineData("subscribeBatchPauseMs", -1)]
    [InlineData("subscribeBatchPauseMs", 600001)]
    [InlineData("maxConcurrentJobs", null)]
    [InlineData("subscribeBatchPauseMs", null)]
    public async Task PutLimits_WithAFieldOutOfRangeOrMissing_NamesIt_AndChangesNothing(string field, int? value)
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var before = (await cluster.Client.SendJsonAsync(HttpMethod.Get, "/api/workspace")).Body.GetProperty("limits").ToString();
        var request = JsonSerializer.SerializeToNode(NewLimits)!.AsObject();
        if (value is null)
        {
            request.Remove(field);
        }
        else
        {
            request[field] = value;
        }

        var (status, problem) = await cluster.Client.SendRawAsync(HttpMethod.Put, "/api/workspace/limits", request.ToJsonString());

        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("code").GetString().ShouldBe("validation_failed");
        var errors = problem.GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).ShouldBe([field]);
        errors.GetProperty(field)[0].GetString().ShouldBe(value is null ? "is required." : ShouldMentionRange(field));
        (await cluster.Client.SendJsonAsync(HttpMethod.Get, "/api/workspace")).Body.GetProperty("limits").ToString().ShouldBe(before);
    }

    [Fact]
    public async Task PutLimits_WithNothing_NamesAllSixFields()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);

        var (status, problem) = await cluster.Client.SendRawAsync(HttpMethod.Put, "/api/workspace/limits", "{}");

        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order().ShouldBe(
            ["bulkJobsPerHour", "maxBatchItems", "maxConcurrentJobs", "requestsPerMinute", "subscribeBatchPauseMs", "subscribeBatchSize"]);
    }

    [Fact]
    public async Task ChangedSubscribeBatchSize_IsUsedByTheNextSubscribeJob()
    {
        await using var cluster = await TestCluster.StartAsync(servers);
        var workspace = cluster.Caller.WorkspaceId;
        var sequence = await cluster.InsertSequenceAsync(workspace, "Welcome");
        var contacts = await cluster.InsertContactsAsync(workspace, 24);

        await SetBatchingAsync(cluster, size: 5, pauseMs: 400);
        var first = await SubscribeAsync(cluster, sequence, contacts[..12]);
        await SetBatchingAsync(cluster, size: 4, pauseMs: 400);
        var second = await SubscribeAsync(cluster, sequence, contacts[12..]);

        (first.BatchSize, first.Batches).ShouldBe((5, 3));
        first.Steps.ShouldBeSubsetOf([5L, 10, 12]);
        first.Steps.ShouldContain(5);
        (second.BatchSize, second.Batches).ShouldBe((4, 3));
        second.Steps.ShouldBeSubsetOf([4L, 8, 12]);
        second.Steps.ShouldContain(4);
    }

    private static async Task SetBatchingAsync(TestCluster cluster, int size, int pauseMs)
    {
        var (status, body) = await cluster.Client.SendJsonAsync(HttpMethod.Put, "/api/workspace/limits", new
        {
            maxConcurrentJobs = 5,
            maxBatchItems = 1000,
            bulkJobsPerHour = 10,
            requestsPerMinute = 600,
            subscribeBatchSize = size,
            subscribeBatchPauseMs = pauseMs,
        });
        status.ShouldBe(HttpStatusCode.OK, body.ToString());
    }

    /// <summary>Runs one subscription to the end; its batch size, batch count and the processed counts seen on the way.</summary>
    private static async Task<(int BatchSize, int Batches, List<long> Steps)> SubscribeAsync(TestCluster cluster, Guid sequence, List<Guid> contacts)
    {
        var id = await cluster.Client.SubmitContactsJobAsync(ContactSubscribeHandler.TypeName, new { sequenceId = sequence, contactIds = contacts });
        var steps = new List<long>();
        JobResponse? job = null;
        await Eventually.TrueAsync(async () =>
        {
            job = await cluster.Client.GetJobAsync(id);
            if (job.ProcessedItems is { } processed && processed > 0)
            {
                steps.Add(processed);
            }

            return job.Status is "completed" or "failed";
        }, "the subscription to finish", TimeSpan.FromSeconds(60));
        job!.Status.ShouldBe("completed", job.ToString());
        return (job.Result!.Value.GetProperty("batchSize").GetInt32(), job.Metrics.GetProperty("batches").GetInt32(), steps.Distinct().ToList());
    }

    // The limits that guard shared capacity go up to the operator's default ceilings (Api:LimitCeilings), the others
    // (and the batch size, whose ceiling is its hard maximum) to their hard range.
    private static string ShouldMentionRange(string field) => field switch
    {
        "maxConcurrentJobs" => "must be between 1 and 16: 16 is the most the platform's operator allows.",
        "bulkJobsPerHour" => "must be between 1 and 100: 100 is the most the platform's operator allows.",
        "requestsPerMinute" => "must be between 1 and 6000: 6000 is the most the platform's operator allows.",
        "maxBatchItems" or "subscribeBatchSize" => "must be between 1 and 1000.",
        _ => "must be between 0 and 600000.",
    };

    [Fact]
    public async Task PutLimits_AboveTheOperatorsCeiling_IsRefusedByField_AndTheCeilingItselfIsAllowed()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0, overrides: new Dictionary<string, string?>
        {
            ["Api:LimitCeilings:MaxConcurrentJobs"] = "8",
            ["Api:LimitCeilings:RequestsPerMinute"] = "1000",
        });
        var greedy = new { maxConcurrentJobs = 1000, maxBatchItems = 500, bulkJobsPerHour = 42, requestsPerMinute = 1_000_000, subscribeBatchSize = 25, subscribeBatchPauseMs = 0 };

        var (refused, problem) = await cluster.Client.SendJsonAsync(HttpMethod.Put, "/api/workspace/limits", greedy);

        refused.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
        var errors = problem.GetProperty("errors");
        errors.GetProperty("maxConcurrentJobs")[0].GetString().ShouldBe("must be between 1 and 8: 8 is the most the platform's operator allows.");
        errors.GetProperty("requestsPerMinute")[0].GetString().ShouldBe("must be between 1 and 1000: 1000 is the most the platform's operator allows.");
        errors.EnumerateObject().Count().ShouldBe(2);
        (await cluster.ScalarAsync<int>("SELECT max_concurrent_jobs FROM workspaces WHERE id = @id", ("id", cluster.Caller.WorkspaceId))).ShouldBe(5);

        var (accepted, body) = await cluster.Client.SendJsonAsync(HttpMethod.Put, "/api/workspace/limits", greedy with { maxConcurrentJobs = 8, requestsPerMinute = 1000 });
        accepted.ShouldBe(HttpStatusCode.OK, body.ToString());
        body.GetProperty("limits").GetProperty("maxConcurrentJobs").GetInt32().ShouldBe(8);
        var ceilings = body.GetProperty("ceilings");
        (ceilings.GetProperty("maxConcurrentJobs").GetInt32(), ceilings.GetProperty("requestsPerMinute").GetInt32()).ShouldBe((8, 1000));
    }

    [Fact]
    public async Task LimitsAboveACeilingLoweredSinceTheyWereSet_AreBroughtDownWhenTheApiStarts()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0, overrides: new Dictionary<string, string?>
        {
            ["Api:LimitCeilings:MaxConcurrentJobs"] = "8",
            ["Api:LimitCeilings:BulkJobsPerHour"] = "50",
        });
        // Set before the ceilings existed, or under a higher one.
        await cluster.ScalarAsync<object>(
            "UPDATE workspaces SET max_concurrent_jobs = 500, bulk_jobs_per_hour = 20 WHERE id = @id", ("id", cluster.Caller.WorkspaceId));

        await using var restarted = cluster.StartApi();

        (await cluster.ScalarAsync<string>(
            "SELECT concat_ws(',', max_concurrent_jobs, bulk_jobs_per_hour) FROM workspaces WHERE id = @id", ("id", cluster.Caller.WorkspaceId)))
            .ShouldBe("8,20");
    }

    [Fact]
    public async Task LimitOverrides_SetTheGivenLimits_AndLeaveTheOthersAsStored()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var store = cluster.Api.Services.GetRequiredService<IWorkspaceStore>();
        const string Limits = "SELECT concat_ws(',', max_concurrent_jobs, requests_per_minute, bulk_jobs_per_hour) FROM workspaces WHERE id = @id";
        var before = (await cluster.ScalarAsync<string>(Limits, ("id", cluster.Caller.WorkspaceId)))!.Split(',');

        (await store.WorkspaceLimitsOverrideAsync(cluster.Caller.WorkspaceId, new WorkspaceLimitOverrides(null, 1234, null), CancellationToken.None))
            .ShouldBeTrue();
        (await store.WorkspaceLimitsOverrideAsync(Guid.NewGuid(), new WorkspaceLimitOverrides(3, null, null), CancellationToken.None))
            .ShouldBeFalse();

        (await cluster.ScalarAsync<string>(Limits, ("id", cluster.Caller.WorkspaceId))).ShouldBe($"{before[0]},1234,{before[2]}");
    }

    [Fact]
    public async Task PutLimits_WithAFieldItDoesNotDefine_IsRefusedNamingIt()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);

        var (status, problem) = await cluster.Client.SendJsonAsync(HttpMethod.Put, "/api/workspace/limits", new
        {
            maxConcurrentJobs = 7, maxBatchItems = 500, bulkJobsPerHour = 42, requestsPerMinute = 1200, subscribeBatchSize = 25,
            subscribeBatchPauseMs = 0, colour = "red",
        });

        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
        problem.GetProperty("errors").GetProperty("colour")[0].GetString().ShouldBe("is not a known field of this request.");
    }
}
