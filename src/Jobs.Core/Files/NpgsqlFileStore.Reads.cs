using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Files;

/// <summary>Reading files back: an upload's or a job file's row, and its content as a stream of chunks.</summary>
public sealed partial class NpgsqlFileStore
{
    // One chunk of a file's content, read only while its row still names that large object (LargeObjectReadStream).
    private const string UploadChunkGetSql = """
        SELECT lo_get(u.content_oid, @offset, @length)
        FROM uploads u
        WHERE u.id = @id
          AND u.content_oid = @oid
        """;

    private const string JobFileChunkGetSql = """
        SELECT lo_get(f.content_oid, @offset, @length)
        FROM job_files f
        WHERE f.job_id = @job_id
          AND f.name = @name
          AND f.content_oid = @oid
        """;

    private const string UploadGetSql = """
        SELECT u.id, u.workspace_id, u.user_id, u.name, u.content_type, u.size, u.created_at, u.content_oid
        FROM uploads u
        WHERE u.workspace_id = @workspace_id
          AND u.id = @id
        """;

    private const string JobFileGetSql = """
        SELECT f.job_id, f.workspace_id, f.name, f.content_type, f.size, f.created_at, f.content_oid
        FROM job_files f
        WHERE f.workspace_id = @workspace_id
          AND f.job_id = @job_id
          AND f.name = @name
        """;

    public async Task<(Upload Upload, Stream Content)?> UploadOpenReadAsync(Guid workspaceId, Guid uploadId, CancellationToken cancellationToken) =>
        await OpenReadAsync(UploadGetSql, command =>
        {
            command.Parameters.AddWithValue("workspace_id", workspaceId);
            command.Parameters.AddWithValue("id", uploadId);
        }, ReadUpload, u => u.Size, UploadChunkGetSql, command => command.Parameters.AddWithValue("id", uploadId), cancellationToken);

    public async Task<(JobFile File, Stream Content)?> JobFileOpenReadAsync(Guid workspaceId, Guid jobId, string name, CancellationToken cancellationToken) =>
        await OpenReadAsync(JobFileGetSql, command =>
        {
            command.Parameters.AddWithValue("workspace_id", workspaceId);
            command.Parameters.AddWithValue("job_id", jobId);
            command.Parameters.AddWithValue("name", name);
        }, ReadJobFile, f => f.Size, JobFileChunkGetSql, command =>
        {
            command.Parameters.AddWithValue("job_id", jobId);
            command.Parameters.AddWithValue("name", name);
        }, cancellationToken);

    /// <summary>
    /// Finds the row, then returns a stream that reads its content chunk by chunk, each chunk with a statement of its
    /// own (<see cref="LargeObjectReadStream"/>): no connection or transaction is held while the reader is slow.
    /// </summary>
    private async Task<(T File, Stream Content)?> OpenReadAsync<T>(
        string sql, Action<NpgsqlCommand> bind, Func<NpgsqlDataReader, T> read, Func<T, long> size,
        string chunkSql, Action<NpgsqlCommand> bindChunk, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var file = read(reader);
        var oid = reader.GetFieldValue<uint>(reader.FieldCount - 1);
        return (file, new LargeObjectReadStream(dataSource, chunkSql, bindChunk, oid, size(file)));
    }

    private static Upload ReadUpload(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetGuid(1),
        reader.GetGuid(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetInt64(5),
        reader.GetFieldValue<DateTimeOffset>(6));

    private static JobFile ReadJobFile(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetGuid(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetInt64(4),
        reader.GetFieldValue<DateTimeOffset>(5));

    // Npgsql reads a timestamptz as a UTC DateTime.
    private static DateTimeOffset CreatedAt(object? value) => new((DateTime)value!, TimeSpan.Zero);

    private static NpgsqlParameter<uint> Oid(string name, uint value) => new(name, NpgsqlDbType.Oid) { TypedValue = value };
}
