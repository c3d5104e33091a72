using Jobs.Contracts.Workspaces;
using Jobs.Core.Files;

namespace Jobs.StoreTests.Files;

/// <summary>
/// <see cref="IFileStore"/>: uploads and job files read back whole and by range, the workspace's storage quota checked
/// under a lock (so racing writes cannot both fit), a job's file written only under its attempt's lease, and another
/// workspace's file "not found".
/// </summary>
public sealed class FileStoreTests(PostgresFixture postgres)
{
    private readonly TestDatabase db = postgres.Shared;

    [Fact]
    public async Task An_upload_reads_back_whole_and_by_range_in_its_workspace_only()
    {
        var ws = await db.NewWorkspaceAsync();
        var other = await db.NewWorkspaceAsync();
        var files = db.Files();
        // More than one write chunk and several read chunks.
        var bytes = Content(FileContentWriter.ChunkSize + 50_000);

        var upload = await files.UploadInsertAsync(new MemoryStream(bytes), Upload(ws, "contacts.csv"), Ct);

        (upload.WorkspaceId, upload.UserId, upload.Name, upload.ContentType, upload.Size)
            .ShouldBe((ws.Id, ws.UserId, "contacts.csv", "text/csv", bytes.LongLength));
        (await files.StorageUsageGetAsync(ws.Id, Ct)).ShouldNotBeNull().UsedBytes.ShouldBe(bytes.LongLength);
        var (read, content) = (await files.UploadOpenReadAsync(ws.Id, upload.Id, Ct)).ShouldNotBeNull();
        await using (content)
        {
            read.ShouldBe(upload);
            (await ReadAllAsync(content)).ShouldBe(bytes);
            content.Seek(200_000, SeekOrigin.Begin);
            var range = new byte[1000];
            await content.ReadExactlyAsync(range, Ct);
            range.ShouldBe(bytes[200_000..201_000]);
        }

        (await files.UploadOpenReadAsync(other.Id, upload.Id, Ct)).ShouldBeNull();
        (await files.StorageUsageGetAsync(other.Id, Ct)).ShouldNotBeNull().UsedBytes.ShouldBe(0);
        (await files.StorageUsageGetAsync(Guid.CreateVersion7(), Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task An_upload_past_the_quota_is_refused_and_stores_nothing()
    {
        var ws = await db.NewWorkspaceAsync();
        var files = db.Files(defaultQuotaBytes: 1000);
        await files.UploadInsertAsync(new MemoryStream(Content(600)), Upload(ws), Ct);

        var refused = await Should.ThrowAsync<StorageQuotaExceededException>(() => files.UploadInsertAsync(new MemoryStream(Content(500)), Upload(ws), Ct));
        // Unseekable content is measured as it is written, and refused by the check under the lock.
        await Should.ThrowAsync<StorageQuotaExceededException>(() => files.UploadInsertAsync(new Unseekable(Content(500)), Upload(ws), Ct));

        (refused.Usage, refused.FileBytes).ShouldBe((new StorageUsage(600, 1000), 500L));
        (await files.StorageUsageGetAsync(ws.Id, Ct)).ShouldBe(new StorageUsage(600, 1000));
        (await files.UploadInsertAsync(new MemoryStream(Content(400)), Upload(ws), Ct)).Size.ShouldBe(400);
        (await files.StorageUsageGetAsync(ws.Id, Ct)).ShouldBe(new StorageUsage(1000, 1000));
    }

    [Fact]
    public async Task Racing_uploads_that_fit_only_one_at_a_time_store_one()
    {
        var ws = await db.NewWorkspaceAsync();
        var files = db.Files(defaultQuotaBytes: 1000);

        var uploads = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            try
            {
                return await files.UploadInsertAsync(new MemoryStream(Content(600)), Upload(ws), Ct);
            }
            catch (StorageQuotaExceededException)
            {
                return null;
            }
        })));

        uploads.OfType<Upload>().ShouldHaveSingleItem();
        (await files.StorageUsageGetAsync(ws.Id, Ct)).ShouldNotBeNull().UsedBytes.ShouldBe(600);
    }

    [Fact]
    public async Task A_jobs_file_is_stored_only_under_its_attempts_lease_and_a_rerun_replaces_it()
    {
        var ws = await db.NewWorkspaceAsync();
        var other = await db.NewWorkspaceAsync();
        var files = db.Files();
        var first = await ws.StartAsync("worker-1");
        var firstBytes = Content(1000);
        var stored = await WriteJobFileAsync(files, new JobFileUpsertParams(first.Lease, ws.Id, "export.csv", "text/csv"), firstBytes);
        (stored.ShouldNotBeNull().Size, stored.Name).ShouldBe((1000L, "export.csv"));

        var rerun = await ws.RestartAsync(first, "worker-2");
        (await WriteJobFileAsync(files, new JobFileUpsertParams(first.Lease, ws.Id, "export.csv", "text/csv"), Content(10))).ShouldBeNull();
        (await ReadJobFileAsync(files, ws.Id, first.Id, "export.csv")).ShouldBe(firstBytes);

        var rerunBytes = Content(300);
        (await WriteJobFileAsync(files, new JobFileUpsertParams(rerun.Lease, ws.Id, "export.csv", "text/plain"), rerunBytes)).ShouldNotBeNull();

        (await ReadJobFileAsync(files, ws.Id, first.Id, "export.csv")).ShouldBe(rerunBytes);
        (await files.StorageUsageGetAsync(ws.Id, Ct)).ShouldNotBeNull().UsedBytes.ShouldBe(300);
        (await files.JobFileOpenReadAsync(other.Id, first.Id, "export.csv", Ct)).ShouldBeNull();
        (await WriteJobFileAsync(files, new JobFileUpsertParams(rerun.Lease, other.Id, "stolen.csv", "text/csv"), Content(10))).ShouldBeNull();
        await Should.ThrowAsync<ArgumentException>(() =>
            WriteJobFileAsync(files, new JobFileUpsertParams(rerun.Lease, ws.Id, "../etc", "text/plain"), Content(1)));
    }

    [Fact]
    public async Task Expired_uploads_go_unless_a_waiting_job_names_them()
    {
        // Upload retention spans every workspace: a database of its own.
        await using var own = await postgres.CreateDatabaseAsync();
        var ws = await own.NewWorkspaceAsync();
        var files = own.Files();
        var named = await files.UploadInsertAsync(new MemoryStream(Content(100)), Upload(ws), Ct);
        var loose = await files.UploadInsertAsync(new MemoryStream(Content(50)), Upload(ws), Ct);
        var job = await ws.SubmitOneAsync(TestWorkspace.Job(payload: $$"""{"uploadId":"{{named.Id}}"}"""));
        await Task.Delay(300, Ct);

        (await files.UploadDeleteExpiredAsync(TimeSpan.FromMilliseconds(100), 100, Ct)).ShouldBe(1);

        (await files.UploadOpenReadAsync(ws.Id, loose.Id, Ct)).ShouldBeNull();
        (await files.StorageUsageGetAsync(ws.Id, Ct)).ShouldNotBeNull().UsedBytes.ShouldBe(100);
        await own.Jobs.JobCancelAsync(ws.Id, job.Id, null, Ct);
        (await files.UploadDeleteExpiredAsync(TimeSpan.FromMilliseconds(100), 100, Ct)).ShouldBe(1);
        (await files.StorageUsageGetAsync(ws.Id, Ct)).ShouldNotBeNull().UsedBytes.ShouldBe(0);
    }

    private static UploadInsertParams Upload(TestWorkspace ws, string name = "upload.bin") => new(ws.Id, ws.UserId, name, "text/csv");

    private static byte[] Content(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private static async Task<JobFile?> WriteJobFileAsync(IFileStore files, JobFileUpsertParams parameters, byte[] bytes)
    {
        // Disposed uncommitted when the store refuses it: the content is rolled back.
        await using var content = await files.ContentCreateAsync(Ct);
        await content.WriteAsync(bytes, Ct);
        return await files.JobFileUpsertIfRunningAsync(content, parameters, Ct);
    }

    private static async Task<byte[]> ReadJobFileAsync(IFileStore files, Guid workspaceId, Guid jobId, string name)
    {
        var (_, content) = (await files.JobFileOpenReadAsync(workspaceId, jobId, name, Ct)).ShouldNotBeNull();
        await using (content)
        {
            return await ReadAllAsync(content);
        }
    }

    private static async Task<byte[]> ReadAllAsync(Stream content)
    {
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, Ct);
        return buffer.ToArray();
    }

    /// <summary>Content whose length is known only once read, as a request body streamed from a client.</summary>
    private sealed class Unseekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
