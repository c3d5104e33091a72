using Jobs.Contracts.Workspaces;
using Jobs.Core.Engine.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Files;

/// <summary>
/// The one <see cref="IFileStore"/> implementation: content in PostgreSQL large objects, metadata in <c>uploads</c> and
/// <c>job_files</c> (migration 0005 says why large objects). A file's row and its content commit in one transaction,
/// after a check of the workspace's storage quota (migration 0014).
/// </summary>
public sealed partial class NpgsqlFileStore(NpgsqlDataSource dataSource, IOptions<StorageOptions> options) : IFileStore
{
    // A field, so that the reading part (NpgsqlFileStore.Reads.cs) sees it too.
    private readonly NpgsqlDataSource dataSource = dataSource;

    private const string ContentCreateSql = "SELECT lo_create(0)";

    private const string StorageUsageGetSql = """
        SELECT coalesce(s.used_bytes, 0), coalesce(w.storage_quota_bytes, @default_quota)
        FROM workspaces w
        LEFT JOIN workspace_storage s ON s.workspace_id = w.id
        WHERE w.id = @workspace_id
        """;

    // Taken just before the file's row is written, and held to the commit: the checks of one workspace's files run one
    // at a time, so two files cannot both fit in the same remaining space. The row exists from the workspace's creation
    // (migration 0014's trigger).
    private const string StorageUsageLockSql = """
        SELECT s.used_bytes, coalesce(w.storage_quota_bytes, @default_quota)
        FROM workspace_storage s
        JOIN workspaces w ON w.id = s.workspace_id
        WHERE s.workspace_id = @workspace_id
        FOR UPDATE OF s
        """;

    // What a job's file of the same name takes now: replacing it gives those bytes back.
    private const string JobFileSizeGetSql = """
        SELECT f.size
        FROM job_files f
        WHERE f.job_id = @job_id
          AND f.name = @name
        """;

    private const string UploadInsertSql = """
        INSERT INTO uploads (id, workspace_id, user_id, name, content_type, size, content_oid)
        VALUES (@id, @workspace_id, @user_id, @name, @content_type, @size, @content_oid)
        RETURNING created_at
        """;

    // Replacing the content unlinks the earlier attempt's large object (the row's trigger).
    private const string JobFileUpsertSql = """
        INSERT INTO job_files (job_id, workspace_id, name, content_type, size, content_oid)
        VALUES (@job_id, @workspace_id, @name, @content_type, @size, @content_oid)
        ON CONFLICT (job_id, name) DO UPDATE
        SET content_type = excluded.content_type,
            size = excluded.size,
            content_oid = excluded.content_oid,
            created_at = now()
        RETURNING created_at
        """;

    // uploads' id is a UUIDv7, so its order is its age. A job still waiting for its upload keeps it; the job's own
    // retention covers it once it has ended. The content is unlinked by the row's trigger.
    private const string UploadDeleteExpiredSql = """
        DELETE FROM uploads
        WHERE id IN (
            SELECT u.id
            FROM uploads u
            WHERE u.created_at < now() - @older_than
              AND NOT EXISTS (
                  SELECT 1
                  FROM jobs j
                  WHERE j.workspace_id = u.workspace_id
                    AND j.status IN ('pending', 'processing')
                    AND j.payload ->> 'uploadId' = u.id::text)
            ORDER BY u.id
            LIMIT @limit)
        """;

    public async Task<FileContentWriter> ContentCreateAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            return await ContentCreateAsync(connection, transaction, cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task<FileContentWriter> ContentCreateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ContentCreateSql, connection, transaction);
        var oid = (uint)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new FileContentWriter(connection, transaction, oid);
    }

    public async Task<Upload> UploadInsertAsync(Stream content, UploadInsertParams parameters, CancellationToken cancellationToken)
    {
        // Refused before a byte is written, in the common case; the locked check below has the last word.
        if (content.CanSeek
            && await StorageUsageGetAsync(parameters.WorkspaceId, cancellationToken) is { } usage
            && !usage.Fits(content.Length - content.Position))
        {
            throw new StorageQuotaExceededException(usage, content.Length - content.Position);
        }

        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        FileContentWriter writer;
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            writer = await ContentCreateAsync(connection, transaction, cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        // Disposing the writer uncommitted (a refusal, an error, a cancellation) rolls the large object back.
        await using (writer)
        {
            await content.CopyToAsync(writer, FileContentWriter.ChunkSize, cancellationToken);
            await writer.FlushAsync(cancellationToken);
            await StorageReserveAsync(writer, parameters.WorkspaceId, writer.Size, 0, cancellationToken);

            var id = Guid.CreateVersion7();
            await using var command = new NpgsqlCommand(UploadInsertSql, writer.Connection, writer.Transaction);
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("workspace_id", parameters.WorkspaceId);
            command.Parameters.AddWithValue("user_id", parameters.UserId);
            command.Parameters.AddWithValue("name", parameters.Name);
            command.Parameters.AddWithValue("content_type", parameters.ContentType);
            command.Parameters.AddWithValue("size", writer.Size);
            command.Parameters.Add(Oid("content_oid", writer.Oid));
            var createdAt = CreatedAt(await command.ExecuteScalarAsync(cancellationToken));
            await writer.Transaction.CommitAsync(cancellationToken);
            writer.MarkCommitted();
            return new Upload(id, parameters.WorkspaceId, parameters.UserId, parameters.Name, parameters.ContentType, writer.Size, createdAt);
        }
    }

    public async Task<StorageUsage?> StorageUsageGetAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(StorageUsageGetSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("default_quota", options.Value.DefaultQuotaBytes);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new StorageUsage(reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    /// <summary>
    /// Locks the workspace's storage row until the commit and checks that <paramref name="size"/> bytes fit once
    /// <paramref name="freed"/> bytes (the file being replaced) are given back; throws when they do not.
    /// </summary>
    private async Task StorageReserveAsync(FileContentWriter content, Guid workspaceId, long size, long freed, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(StorageUsageLockSql, content.Connection, content.Transaction);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("default_quota", options.Value.DefaultQuotaBytes);
        StorageUsage usage;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException($"Workspace {workspaceId} has no storage row.");
            }

            usage = new StorageUsage(reader.GetInt64(0), reader.GetInt64(1));
        }

        if (!usage.Fits(size, freed))
        {
            throw new StorageQuotaExceededException(usage, size);
        }
    }

    public async Task<JobFile?> JobFileUpsertIfRunningAsync(FileContentWriter content, JobFileUpsertParams parameters, CancellationToken cancellationToken)
    {
        if (!JobFile.IsValidName(parameters.Name))
        {
            throw new ArgumentException($"'{parameters.Name}' cannot name a job's file.", nameof(parameters));
        }

        await content.FlushAsync(cancellationToken);
        // The engine's fence, held until the commit: a stale attempt cannot replace the file of the attempt that took
        // over. Taken only at the end, after the content is written, so the job row is locked for milliseconds.
        if (!await JobRules.LockHeldJobAsync(content.Connection, content.Transaction, parameters.Lease, parameters.WorkspaceId, cancellationToken))
        {
            // Left uncommitted: disposing the content rolls it back.
            return null;
        }

        long replaced;
        await using (var command = new NpgsqlCommand(JobFileSizeGetSql, content.Connection, content.Transaction))
        {
            command.Parameters.AddWithValue("job_id", parameters.Lease.JobId);
            command.Parameters.AddWithValue("name", parameters.Name);
            replaced = await command.ExecuteScalarAsync(cancellationToken) is long size ? size : 0;
        }

        // Left uncommitted when refused: disposing the content rolls it back.
        await StorageReserveAsync(content, parameters.WorkspaceId, content.Size, replaced, cancellationToken);

        DateTimeOffset createdAt;
        await using (var command = new NpgsqlCommand(JobFileUpsertSql, content.Connection, content.Transaction))
        {
            command.Parameters.AddWithValue("job_id", parameters.Lease.JobId);
            command.Parameters.AddWithValue("workspace_id", parameters.WorkspaceId);
            command.Parameters.AddWithValue("name", parameters.Name);
            command.Parameters.AddWithValue("content_type", parameters.ContentType);
            command.Parameters.AddWithValue("size", content.Size);
            command.Parameters.Add(Oid("content_oid", content.Oid));
            createdAt = CreatedAt(await command.ExecuteScalarAsync(cancellationToken));
        }

        await content.Transaction.CommitAsync(cancellationToken);
        content.MarkCommitted();
        return new JobFile(parameters.Lease.JobId, parameters.WorkspaceId, parameters.Name, parameters.ContentType, content.Size, createdAt);
    }

    public async Task<int> UploadDeleteExpiredAsync(TimeSpan olderThan, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(UploadDeleteExpiredSql);
        command.Parameters.AddWithValue("older_than", olderThan);
        command.Parameters.AddWithValue("limit", limit);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
