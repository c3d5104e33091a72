using Jobs.IntegrationTests.Client;
using Jobs.IntegrationTests.Client.Models;
using Jobs.IntegrationTests.Infrastructure;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace Jobs.IntegrationTests;

/// <summary>
/// The API through the client Kiota generates from docs/openapi/v1.json, as an integrating team would use it: typed
/// requests and answers, and every error a typed <see cref="Problem"/> with its code.
/// </summary>
public sealed class GeneratedClientTests(Servers servers)
{
    [Fact]
    public async Task Submit_Get_AndTheProblemsOfAnUnknownJob_AConflict_AndARateLimit_AreTyped()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 1);
        var jobs = Client(cluster);

        var submitted = await jobs.Api.Jobs.PostAsync(new SubmitJobRequest
        {
            Type = "demo",
            Payload = new UntypedObject(new Dictionary<string, UntypedNode> { ["items"] = new UntypedInteger(2), ["delayMs"] = new UntypedInteger(10) }),
            Priority = 3,
        });
        submitted!.JobId.ShouldNotBeNull();
        await cluster.Client.WaitForStatusAsync(submitted.JobId.Value, "completed");
        var job = await jobs.Api.Jobs[submitted.JobId.Value.ToString()].GetAsync();
        job!.Status.ShouldBe(JobResponse_status.Completed);
        job.Priority.ShouldBe(3);

        var unknown = await Should.ThrowAsync<Problem>(() => jobs.Api.Jobs[Guid.NewGuid().ToString()].GetAsync());
        (unknown.ResponseStatusCode, unknown.Code).ShouldBe((404, "job_not_found"));

        var conflict = await Should.ThrowAsync<Problem>(() => jobs.Api.Jobs[submitted.JobId.Value.ToString()].Cancel.PostAsync());
        (conflict.ResponseStatusCode, conflict.Code, conflict.JobStatus).ShouldBe((409, "invalid_transition", "completed"));

        var invalid = await Should.ThrowAsync<Problem>(() => jobs.Api.Jobs.PostAsync(new SubmitJobRequest { Type = "demo", Payload = new UntypedObject(new Dictionary<string, UntypedNode> { ["items"] = new UntypedInteger(-1) }) }));
        (invalid.ResponseStatusCode, invalid.Code).ShouldBe((400, "validation_failed"));
        invalid.Errors!.AdditionalData.Keys.ShouldContain("payload.items");

        // A workspace of its own, its limit set before its first request (the API caches limits for a few seconds).
        var (slowClient, slow, _) = await cluster.CreateWorkspaceAsync();
        using var _ = slowClient;
        await cluster.SetLimitsAsync(slow.WorkspaceId, requestsPerMinute: 1);
        var slowJobs = Client(slowClient);
        await slowJobs.Api.Jobs.GetAsync();
        var limited = await Should.ThrowAsync<Problem>(() => slowJobs.Api.Jobs.GetAsync());
        (limited.ResponseStatusCode, limited.Code, limited.Limit).ShouldBe((429, "rate_limited", 1));
        limited.RetryAfterSeconds!.Value.ShouldBeInRange(1, 60);
    }

    /// <summary>The API with a workspace's key in the header the document names (the test clients carry it).</summary>
    private static JobsApiClient Client(TestCluster cluster) => Client(cluster.Client);

    private static JobsApiClient Client(HttpClient withKey) =>
        new(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: withKey)
        {
            BaseUrl = withKey.BaseAddress!.ToString().TrimEnd('/'),
        });
}
