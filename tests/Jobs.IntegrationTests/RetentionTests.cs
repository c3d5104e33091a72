using System.Net;
using Jobs.IntegrationTests.Infrastructure;
using Jobs.Worker.Handlers.Contacts;

namespace Jobs.IntegrationTests;

/// <summary>
/// Retention, applied by the maintenance leader: ended jobs are deleted (with their events) once older than their
/// status's retention, failed ones kept longer; uploads go after theirs unless a waiting job still names them.
/// </summary>
public sealed class RetentionTests(Servers servers)
{
    [Fact]
    public async Task EndedJobsAndUnusedUploads_PastTheirRetention_AreDeleted_AndNothingElse()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 1, overrides: new Dictionary<string, string?>
        {
            ["Worker:CompletedJobRetention"] = "1.00:00:00",
            ["Worker:FailedJobRetention"] = "3.00:00:00",
            ["Worker:UploadRetention"] = "1.00:00:00",
        });
        var client = cluster.Client;
        var completedOld = await client.SubmitDemoAsync(items: 1);
        var completedNew = await client.SubmitDemoAsync(items: 1);
        var failedRecent = await client.SubmitAsync(new { type = TestHandlers.FailPermanently.TypeName, payload = new { } });
        var failedOld = await client.SubmitAsync(new { type = TestHandlers.FailPermanently.TypeName, payload = new { } });
        var cancelledOld = await client.SubmitDemoAsync(items: 1000, delayMs: 100);
        (await client.PostAsync($"/api/jobs/{cancelledOld}/cancel")).Status.ShouldBe(HttpStatusCode.OK);
        foreach (var (id, status) in new[] { (completedOld, "completed"), (completedNew, "completed"), (failedRecent, "failed"), (failedOld, "failed"), (cancelledOld, "cancelled") })
        {
            await client.WaitForStatusAsync(id, status);
        }

        var unused = (await client.UploadAsync("email\nold@test.local\n")).GetProperty("uploadId").GetGuid();
        var waitedFor = (await client.UploadAsync("email\nwaiting@test.local\n")).GetProperty("uploadId").GetGuid();
        var fresh = (await client.UploadAsync("email\nfresh@test.local\n")).GetProperty("uploadId").GetGuid();
        // An import due tomorrow still needs its upload, however old.
        var waiting = await client.SubmitAsync(new { type = ContactImportHandler.TypeName, payload = new { uploadId = waitedFor }, runAt = DateTimeOffset.UtcNow.AddDays(1) });
        var unusedContent = await cluster.ScalarAsync<uint>("SELECT content_oid FROM uploads WHERE id = @id", ("id", unused));

        // Age them: two days for the short retention (one day), four for failures past their three.
        await cluster.ScalarAsync<int>("UPDATE jobs SET completed_at = now() - interval '2 days' WHERE id = ANY(@ids)", ("ids", new[] { completedOld, cancelledOld, failedRecent }));
        await cluster.ScalarAsync<int>("UPDATE jobs SET completed_at = now() - interval '4 days' WHERE id = @id", ("id", failedOld));
        await cluster.ScalarAsync<int>("UPDATE uploads SET created_at = now() - interval '2 days' WHERE id = ANY(@ids)", ("ids", new[] { unused, waitedFor }));

        await Eventually.TrueAsync(async () => await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE id = ANY(@ids)",
            ("ids", new[] { completedOld, cancelledOld, failedOld })) == 0 && await cluster.ScalarAsync<long>("SELECT count(*) FROM uploads WHERE id = @id", ("id", unused)) == 0,
            "retention to delete the expired jobs and upload");

        foreach (var gone in new[] { completedOld, cancelledOld, failedOld })
        {
            (await client.SendRawAsync(HttpMethod.Get, $"/api/jobs/{gone}", null)).Status.ShouldBe(HttpStatusCode.NotFound);
        }

        (await cluster.ScalarAsync<long>("SELECT count(*) FROM job_events WHERE job_id = ANY(@ids)", ("ids", new[] { completedOld, cancelledOld, failedOld }))).ShouldBe(0);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM pg_largeobject_metadata WHERE oid::bigint = @oid", ("oid", (long)unusedContent))).ShouldBe(0);
        foreach (var (kept, status) in new[] { (completedNew, "completed"), (failedRecent, "failed"), (waiting, "pending") })
        {
            (await client.GetJobAsync(kept)).Status.ShouldBe(status);
        }

        (await cluster.ScalarAsync<long>("SELECT count(*) FROM uploads WHERE id = ANY(@ids)", ("ids", new[] { waitedFor, fresh }))).ShouldBe(2);
    }
}
