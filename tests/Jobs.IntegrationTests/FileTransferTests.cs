using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Jobs.IntegrationTests.Infrastructure;

namespace Jobs.IntegrationTests;

/// <summary>
/// Slow clients cannot tie up the database: a download reads its large object in short statements, holding no
/// connection or transaction while the client is slow to read.
/// </summary>
public sealed class FileTransferTests(Servers servers)
{
    /// <summary>Sessions of the cluster's database with a transaction open between statements.</summary>
    private const string HeldTransactionsSql = """
        SELECT count(*)
        FROM pg_stat_activity
        WHERE datname = current_database()
          AND pid <> pg_backend_pid()
          AND state LIKE 'idle in transaction%'
        """;

    [Fact]
    public async Task SlowDownload_HoldsNoDatabaseTransaction_WhileTheClientReads_AndServesRangesAndETags()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
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
}
