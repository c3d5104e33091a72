using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Jobs.IntegrationTests.Infrastructure;

namespace Jobs.IntegrationTests;

/// <summary>
/// Slow clients cannot tie up the database: an upload is received whole (spooled to a temporary file) before a
/// connection is taken, a download reads its large object in short statements, uploads have a total timeout and a cap
/// on how many run at once per key and per workspace, and spool files are deleted whatever the outcome.
/// </summary>
public sealed class FileTransferTests(Servers servers) : IDisposable
{
    /// <summary>Sessions of the cluster's database with a transaction open between statements.</summary>
    private const string HeldTransactionsSql = """
        SELECT count(*)
        FROM pg_stat_activity
        WHERE datname = current_database()
          AND pid <> pg_backend_pid()
          AND state LIKE 'idle in transaction%'
        """;

    private readonly string spool = Path.Combine(Path.GetTempPath(), $"jobs-spool-test-{Guid.NewGuid():N}");

    [Fact]
    public async Task SlowUploads_HoldNoDatabaseTransaction_WhileTheirBodiesArrive_AndAreStoredWhole()
    {
        await using var cluster = await StartAsync(new() { ["Uploads:MaxConcurrentPerKey"] = "20", ["Uploads:MaxConcurrentPerWorkspace"] = "20" });
        const int count = 8;
        var uploads = new List<SlowUpload>();
        for (var i = 0; i < count; i++)
        {
            uploads.Add(await SlowUpload.StartAsync(cluster.Client, Csv(200 * 1024, seed: i), bytesPerTick: 4 * 1024, TimeSpan.FromMilliseconds(100)));
        }

        await Task.WhenAll(uploads.Select(u => u.SentAtLeastAsync(16 * 1024)));
        var held = await MostHeldTransactionsAsync(cluster, TimeSpan.FromSeconds(1));
        uploads.ShouldAllBe(u => !u.Response.IsCompleted);

        held.ShouldBe(0, $"{count} uploads in progress held {held} transactions open");
        foreach (var upload in uploads)
        {
            var response = await upload.Response.WaitAsync(TimeSpan.FromSeconds(60));
            response.Status.ShouldBe(201, response.Body);
            var id = response.Json.GetProperty("uploadId").GetGuid();
            response.Json.GetProperty("size").GetInt64().ShouldBe(upload.Body.Length);
            (await cluster.ScalarAsync<string>("SELECT md5(lo_get(content_oid)) FROM uploads WHERE id = @id", ("id", id)))
                .ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(upload.Body)));
            await upload.DisposeAsync();
        }

        await SpoolIsEmptyAsync();
    }

    [Fact]
    public async Task SlowDownload_HoldsNoDatabaseTransaction_WhileTheClientReads_AndServesRangesAndETags()
    {
        await using var cluster = await StartAsync();
        var jobId = await cluster.Client.SubmitDemoAsync(items: 1);
        const int size = 24 * 1024 * 1024;
        await cluster.ScalarAsync<int>("""
            INSERT INTO job_files (job_id, workspace_id, name, content_type, size, content_oid)
            VALUES (@job_id, @w, 'big.csv', 'text/csv', @size, lo_from_bytea(0, convert_to(repeat('0123456789abcdef', @size / 16), 'UTF8')))
            """, ("job_id", jobId), ("w", cluster.Caller.WorkspaceId), ("size", size));
        var url = $"/api/jobs/{jobId}/files/big.csv";

        using (var response = await cluster.Client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Content.Headers.ContentLength.ShouldBe(size);
            await using var body = await response.Content.ReadAsStreamAsync();
            var start = new byte[64 * 1024];
            await body.ReadExactlyAsync(start);

            // The client stops reading: the server fills the socket's buffers and waits.
            var held = await MostHeldTransactionsAsync(cluster, TimeSpan.FromSeconds(1.5));
            held.ShouldBe(0, $"a download waiting for its client held {held} transactions open");

            var pattern = "0123456789abcdef"u8.ToArray();
            var total = start.Length;
            var wrong = 0;
            var buffer = new byte[256 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                for (var i = 0; i < read; i++)
                {
                    wrong += buffer[i] == pattern[(total + i) % 16] ? 0 : 1;
                }

                total += read;
            }

            (total, wrong).ShouldBe((size, 0));
        }

        using var whole = await cluster.Client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        var etag = whole.Headers.ETag.ShouldNotBeNull();
        whole.Content.Headers.LastModified.ShouldNotBeNull();
        whole.Headers.AcceptRanges.ShouldContain("bytes");

        using var rangeRequest = new HttpRequestMessage(HttpMethod.Get, url);
        rangeRequest.Headers.Range = new RangeHeaderValue(1_000_003, 1_000_012);
        using var range = await cluster.Client.SendAsync(rangeRequest);
        range.StatusCode.ShouldBe(HttpStatusCode.PartialContent);
        range.Content.Headers.ContentRange!.ToString().ShouldBe($"bytes 1000003-1000012/{size}");
        (await range.Content.ReadAsStringAsync()).ShouldBe("3456789abc");

        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(etag);
        using var notModified = await cluster.Client.SendAsync(conditional);
        notModified.StatusCode.ShouldBe(HttpStatusCode.NotModified);
    }

    [Fact]
    public async Task Uploads_OverTheCapOfTheirKey_OrOfTheirWorkspace_Are429WithRetryAfter_AndOtherWorkspacesAreUnaffected()
    {
        await using var cluster = await StartAsync(new() { ["Uploads:MaxConcurrentPerKey"] = "2", ["Uploads:MaxConcurrentPerWorkspace"] = "3" });
        var (_, secondKey) = await cluster.Client.CreateKeyAsync("second");
        using var second = cluster.Api.ClientWithKey(secondKey);
        var (otherWorkspace, _) = await cluster.CreateWorkspaceClientAsync();
        using var _1 = otherWorkspace;

        await using var first1 = await StartHoldingAsync(cluster.Client);
        await using var first2 = await StartHoldingAsync(cluster.Client);
        await SpoolHoldsAsync(2);

        var (status, problem, retryAfter) = await UploadAsync(cluster.Client);
        status.ShouldBe(HttpStatusCode.TooManyRequests, problem.ToString());
        problem.GetProperty("code").GetString().ShouldBe("too_many_concurrent_uploads");
        (problem.GetProperty("scope").GetString(), problem.GetProperty("limit").GetInt32()).ShouldBe(("key", 2));
        retryAfter.ShouldNotBeNull().ShouldBeGreaterThan(TimeSpan.Zero);

        // Another key of the workspace has room of its own, up to the workspace's cap.
        await using var second1 = await StartHoldingAsync(second);
        await SpoolHoldsAsync(3);
        (status, problem, retryAfter) = await UploadAsync(second);
        status.ShouldBe(HttpStatusCode.TooManyRequests, problem.ToString());
        (problem.GetProperty("code").GetString(), problem.GetProperty("scope").GetString(), problem.GetProperty("limit").GetInt32())
            .ShouldBe(("too_many_concurrent_uploads", "workspace", 3));
        retryAfter.ShouldNotBeNull();

        // Another workspace uploads as usual meanwhile.
        (status, problem, _) = await UploadAsync(otherWorkspace);
        status.ShouldBe(HttpStatusCode.Created, problem.ToString());

        // A client that gives up frees its slot.
        await first1.AbortAsync();
        await Eventually.TrueAsync(async () => (await UploadAsync(cluster.Client)).Status == HttpStatusCode.Created, "an upload to fit again");
        await first2.AbortAsync();
        await second1.AbortAsync();
        await SpoolIsEmptyAsync();
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM uploads WHERE workspace_id = @w AND name = 'slow.csv'", ("w", cluster.Caller.WorkspaceId))).ShouldBe(0);
    }

    [Fact]
    public async Task Upload_SlowerThanTheTimeout_Is408_StoresNothing_AndFreesItsSlotAndSpoolFile()
    {
        await using var cluster = await StartAsync(new() { ["Uploads:Timeout"] = "00:00:02", ["Uploads:MaxConcurrentPerKey"] = "1" });
        var clock = Stopwatch.StartNew();
        // At least 10 s of sending against a 2 s timeout: a cold first request (key lookup, slot, quota) must not let the
        // whole body arrive in time.
        await using var slow = await SlowUpload.StartAsync(cluster.Client, Csv(200 * 1024), bytesPerTick: 2 * 1024, TimeSpan.FromMilliseconds(100));

        var response = await slow.Response.WaitAsync(TimeSpan.FromSeconds(30));

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        response.Status.ShouldBe(408, response.Body);
        response.Headers["content-type"].ShouldStartWith("application/problem+json");
        response.Json.GetProperty("code").GetString().ShouldBe("upload_timeout");
        response.Json.GetProperty("timeoutSeconds").GetDouble().ShouldBe(2);
        slow.Sent.ShouldBeLessThan(slow.Body.Length);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM uploads")).ShouldBe(0);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM pg_largeobject_metadata")).ShouldBe(0);
        await SpoolIsEmptyAsync();
        await Eventually.TrueAsync(async () => (await UploadAsync(cluster.Client)).Status == HttpStatusCode.Created, "the slot to be given back");
    }

    [Fact]
    public async Task Uploads_WhileRedisIsDown_GoPastTheKeysCap_ButNotPastTheInstancesOwn()
    {
        await using var redis = await servers.StartPrivateRedisAsync();
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0, redisConnectionString: redis.ConnectionString, overrides: new Dictionary<string, string?>
        {
            ["Uploads:SpoolDirectory"] = spool, ["Uploads:MaxConcurrentPerKey"] = "1", ["Uploads:MaxConcurrentPerInstance"] = "2",
        });
        await using var first = await StartHoldingAsync(cluster.Client);
        await SpoolHoldsAsync(1);
        (await UploadAsync(cluster.Client)).Status.ShouldBe(HttpStatusCode.TooManyRequests);

        await redis.StopAsync();
        await using var second = await StartHoldingAsync(cluster.Client);
        await SpoolHoldsAsync(2);
        var (status, problem, retryAfter) = await UploadAsync(cluster.Client);

        status.ShouldBe(HttpStatusCode.ServiceUnavailable, problem.ToString());
        (problem.GetProperty("code").GetString(), problem.GetProperty("scope").GetString(), problem.GetProperty("limit").GetInt32())
            .ShouldBe(("uploads_busy", "instance", 2));
        retryAfter.ShouldNotBeNull();
        await first.AbortAsync();
        await second.AbortAsync();
        await SpoolIsEmptyAsync();
        // The spool file goes before the request ends and gives its slot back: the next upload fits once it has.
        await Eventually.TrueAsync(async () => (await UploadAsync(cluster.Client)).Status == HttpStatusCode.Created, "an upload to fit again");
    }

    [Fact]
    public async Task SpoolFiles_AreDeleted_AfterAStoredUpload_ARefusedOne_OneTheClientAbandoned_AndACrashsAtStartUp()
    {
        // Left by a process that crashed mid-upload, long ago.
        var leftover = Path.Combine(Directory.CreateDirectory(spool).FullName, "ASPNETCORE_crashed.tmp");
        await File.WriteAllTextAsync(leftover, "email\r\n");
        File.SetLastWriteTimeUtc(leftover, DateTime.UtcNow.AddDays(-1));

        await using var cluster = await StartAsync(new() { ["Uploads:MaxBytes"] = "400000" });
        File.Exists(leftover).ShouldBeFalse();

        // Stored: the spool file exists while the body arrives, and is gone once the upload is stored.
        // About four seconds of sending: long enough that a test thread slowed by a busy machine still sees the spool file.
        await using (var stored = await SlowUpload.StartAsync(cluster.Client, Csv(300 * 1024), bytesPerTick: 8 * 1024, TimeSpan.FromMilliseconds(100)))
        {
            await SpoolHoldsAsync(1);
            (await stored.Response.WaitAsync(TimeSpan.FromSeconds(60))).Status.ShouldBe(201);
            await SpoolIsEmptyAsync();
        }

        // Refused past the limit, without a Content-Length that would have refused it before reading.
        using (var chunked = new StreamContent(new NonSeekableStream(Csv(500 * 1024))))
        {
            chunked.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            using var response = await cluster.Client.PostAsync("/api/uploads", chunked);
            response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
            await SpoolIsEmptyAsync();
        }

        // Abandoned by the client half-way.
        await using (var abandoned = await SlowUpload.StartAsync(cluster.Client, Csv(300 * 1024), bytesPerTick: 16 * 1024, TimeSpan.FromMilliseconds(50)))
        {
            await SpoolHoldsAsync(1);
            await abandoned.AbortAsync();
            await SpoolIsEmptyAsync();
        }

        (await cluster.ScalarAsync<long>("SELECT count(*) FROM uploads")).ShouldBe(1);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM pg_largeobject_metadata")).ShouldBe(1);
    }

    private async Task<TestCluster> StartAsync(Dictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>(overrides ?? []) { ["Uploads:SpoolDirectory"] = spool };
        return await TestCluster.StartAsync(servers, workers: 0, overrides: settings);
    }

    /// <summary>An upload that sends 8 KB every 50 ms of an 8 MB body: it holds its slot until the test aborts it.</summary>
    private static Task<SlowUpload> StartHoldingAsync(HttpClient client) =>
        SlowUpload.StartAsync(client, Csv(8 * 1024 * 1024), bytesPerTick: 8 * 1024, TimeSpan.FromMilliseconds(50));

    private static async Task<(HttpStatusCode Status, JsonElement Body, TimeSpan? RetryAfter)> UploadAsync(HttpClient client)
    {
        using var content = new StringContent("email\r\nquick@example.com\r\n", Encoding.UTF8, "text/csv");
        using var response = await client.PostAsync("/api/uploads?name=quick.csv", content);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(), response.Headers.RetryAfter?.Delta);
    }

    /// <summary>A CSV of exactly <paramref name="size"/> bytes.</summary>
    private static byte[] Csv(int size, int seed = 0)
    {
        var text = new StringBuilder("email\r\n");
        for (var i = 0; text.Length < size; i++)
        {
            text.Append("person").Append(seed).Append('-').Append(i.ToString("D7", CultureInfo.InvariantCulture)).Append("@example.com\r\n");
        }

        return Encoding.ASCII.GetBytes(text.ToString()[..size]);
    }

    private static async Task<int> MostHeldTransactionsAsync(TestCluster cluster, TimeSpan over)
    {
        var most = 0;
        var clock = Stopwatch.StartNew();
        do
        {
            most = Math.Max(most, (int)await cluster.ScalarAsync<long>(HeldTransactionsSql));
            await Task.Delay(100);
        }
        while (clock.Elapsed < over);
        return most;
    }

    private string[] SpoolFiles() => Directory.Exists(spool) ? Directory.GetFiles(spool) : [];

    private Task SpoolHoldsAsync(int files) =>
        Eventually.TrueAsync(() => Task.FromResult(SpoolFiles().Length == files), $"{files} spool files in {spool} (there are {SpoolFiles().Length})");

    private Task SpoolIsEmptyAsync() =>
        Eventually.TrueAsync(() => Task.FromResult(SpoolFiles().Length == 0), $"the spool directory to be empty ({string.Join(", ", SpoolFiles())})", TimeSpan.FromSeconds(15));

    public void Dispose()
    {
        if (Directory.Exists(spool))
        {
            Directory.Delete(spool, recursive: true);
        }
    }

    /// <summary>A body without a length, so that HttpClient sends it chunked.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
