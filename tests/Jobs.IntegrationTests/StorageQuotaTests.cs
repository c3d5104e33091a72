using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Jobs.Api.Contacts;
using Jobs.Core.Workloads.Contacts;
using Jobs.IntegrationTests.Infrastructure;
using Jobs.Worker.Handlers.Contacts;
using Npgsql;

namespace Jobs.IntegrationTests;

/// <summary>
/// A workspace's storage quota: uploads and the files its jobs produce count against it; the operator sets the default
/// (<c>Storage:DefaultQuotaBytes</c>) and may grant a workspace its own value; a workspace's admins cannot change it.
/// </summary>
public sealed class StorageQuotaTests(Servers servers)
{
    [Fact]
    public async Task Upload_ThatWouldExceedTheQuota_Is413BeforeItsBytesAreStored_AndOneThatFitsIsAccepted()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0, overrides: new Dictionary<string, string?> { ["Storage:DefaultQuotaBytes"] = "1000" });
        (await StorageAsync(cluster.Client)).ShouldBe((0, 1000));
        (await UploadAsync(cluster.Client, 600)).Status.ShouldBe(HttpStatusCode.Created);

        // Known to be too big from its Content-Length: refused before a byte of the body is sent.
        await using (var early = await SlowUpload.StartAsync(cluster.Client, new byte[600], bytesPerTick: 600, TimeSpan.FromHours(1)))
        {
            var response = await early.Response.WaitAsync(TimeSpan.FromSeconds(30));
            response.Status.ShouldBe(413, response.Body);
            early.Sent.ShouldBe(0);
            AssertQuotaProblem(response.Json, used: 600, quota: 1000, size: 600);
        }

        // Sent without a length: refused once received, and nothing of it is stored.
        var (status, problem) = await UploadAsync(cluster.Client, 600, chunked: true);
        status.ShouldBe(HttpStatusCode.RequestEntityTooLarge, problem.ToString());
        AssertQuotaProblem(problem, used: 600, quota: 1000, size: 600);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM uploads")).ShouldBe(1);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM pg_largeobject_metadata")).ShouldBe(1);

        // Exactly what is left fits.
        (await UploadAsync(cluster.Client, 400, chunked: true)).Status.ShouldBe(HttpStatusCode.Created);
        (await StorageAsync(cluster.Client)).ShouldBe((1000, 1000));
        (await UploadAsync(cluster.Client, 1)).Status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);

        // Another workspace has its own quota.
        var (other, _) = await cluster.CreateWorkspaceClientAsync();
        using var _1 = other;
        (await UploadAsync(other, 600)).Status.ShouldBe(HttpStatusCode.Created);
        (await StorageAsync(other)).ShouldBe((600, 1000));
    }

    [Fact]
    public async Task Quota_IsTheOperatorsToRaise_NotTheWorkspaceAdmins()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0, overrides: new Dictionary<string, string?> { ["Storage:DefaultQuotaBytes"] = "1000" });
        (await UploadAsync(cluster.Client, 900)).Status.ShouldBe(HttpStatusCode.Created);

        var (status, body) = await cluster.Client.SendJsonAsync(HttpMethod.Put, "/api/workspace/limits", new
        {
            maxConcurrentJobs = 5, maxBatchItems = 1000, bulkJobsPerHour = 10, requestsPerMinute = 1_000_000,
            subscribeBatchSize = 15, subscribeBatchPauseMs = 2000, storageQuotaBytes = 1_000_000_000,
        });
        status.ShouldBe(HttpStatusCode.BadRequest, body.ToString());
        body.GetProperty("errors").GetProperty("storageQuotaBytes")[0].GetString()!.ShouldContain("operator");
        (await StorageAsync(cluster.Client)).ShouldBe((900, 1000));
        (await UploadAsync(cluster.Client, 200)).Status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);

        // The operator grants this workspace more than the default.
        await cluster.ScalarAsync<int>("UPDATE workspaces SET storage_quota_bytes = 5000 WHERE id = @id", ("id", cluster.Caller.WorkspaceId));
        (await StorageAsync(cluster.Client)).ShouldBe((900, 5000));
        (await UploadAsync(cluster.Client, 200)).Status.ShouldBe(HttpStatusCode.Created);
        (await StorageAsync(cluster.Client)).ShouldBe((1100, 5000));
    }

    [Fact]
    public async Task JobFiles_CountAgainstTheQuota_AndAnExportThatWouldExceedItFailsAtOnce_StoringNothing()
    {
        await using var cluster = await TestCluster.StartAsync(servers, overrides: new Dictionary<string, string?> { ["Storage:DefaultQuotaBytes"] = "20000" });
        await using var dataSource = NpgsqlDataSource.Create(cluster.DatabaseConnectionString);
        await DemoContacts.SeedAsync(new NpgsqlContactStore(dataSource), cluster.Caller.WorkspaceId, 50, CancellationToken.None);

        var small = await cluster.Client.WaitForStatusAsync(
            await cluster.Client.SubmitContactsJobAsync(ContactExportHandler.TypeName, new { filters = new { search = "1" } }), "completed");
        var size = small.Result!.Value.GetProperty("size").GetInt64();
        size.ShouldBeGreaterThan(0);
        (await StorageAsync(cluster.Client)).ShouldBe((size, 20000));

        await DemoContacts.SeedAsync(new NpgsqlContactStore(dataSource), cluster.Caller.WorkspaceId, 400, CancellationToken.None);
        var big = await cluster.Client.WaitForFinishAsync(
            await cluster.Client.SubmitContactsJobAsync(ContactExportHandler.TypeName, new { }, maxAttempts: 3));

        big.Status.ShouldBe("failed", big.ToString());
        big.Attempt.ShouldBe(1);
        big.Error!.ShouldContain("storage quota");
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM job_files")).ShouldBe(1);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM pg_largeobject_metadata")).ShouldBe(1);
        (await StorageAsync(cluster.Client)).ShouldBe((size, 20000));

        // Deleting a job's file (here with its job, as retention does) gives its bytes back.
        await cluster.ScalarAsync<int>("DELETE FROM jobs WHERE id = @id", ("id", small.Id));
        (await StorageAsync(cluster.Client)).ShouldBe((0, 20000));
    }

    private static void AssertQuotaProblem(JsonElement problem, long used, long quota, long size)
    {
        problem.GetProperty("code").GetString().ShouldBe("storage_quota_exceeded");
        (problem.GetProperty("usedBytes").GetInt64(), problem.GetProperty("quotaBytes").GetInt64(), problem.GetProperty("fileBytes").GetInt64())
            .ShouldBe((used, quota, size));
    }

    private static async Task<(long Used, long Quota)> StorageAsync(HttpClient client)
    {
        var storage = (await client.GetFromJsonAsync<JsonElement>("/api/workspace")).GetProperty("storage");
        return (storage.GetProperty("usedBytes").GetInt64(), storage.GetProperty("quotaBytes").GetInt64());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> UploadAsync(HttpClient client, int size, bool chunked = false)
    {
        var bytes = Encoding.ASCII.GetBytes(("email\r\n" + new string('a', size))[..size]);
        using HttpContent content = chunked ? new StreamContent(new NonSeekableStream(bytes)) : new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var response = await client.PostAsync("/api/uploads", content);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>A body without a length, so that HttpClient sends it chunked.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
