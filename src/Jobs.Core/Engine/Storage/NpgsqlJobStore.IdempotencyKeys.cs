using System.Text.Json;
using Npgsql;

namespace Jobs.Core.Engine.Storage;

// Idempotency keys: the job a live key already names, whether a workspace used keys, and the expired keys' clean-up.
// The insert that takes a new or expired key over is part of the submit (NpgsqlJobStore.Submit.cs).
public sealed partial class NpgsqlJobStore
{
    private static readonly string GetByIdempotencyKeySql = $"""
        SELECT {JobRows.Select("j")}, k.request_hash
        FROM idempotency_keys k
        JOIN jobs j ON j.id = k.job_id
        WHERE k.workspace_id = @workspace_id
          AND k.key = @key
        """;

    // Expired keys are already taken over by the next submission; deleting them only keeps the table small.
    private const string DeleteExpiredKeysSql = """
        DELETE FROM idempotency_keys
        WHERE ctid IN (
            SELECT ctid
            FROM idempotency_keys
            WHERE expires_at <= now()
            LIMIT @limit)
        """;

    /// <summary>Each input's result: its new job, or the job its live idempotency key already names.</summary>
    private static async Task<List<JobInsertResult>> ResolveKeysAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, JobInsertManyParams parameters, Guid[] ids, byte[]?[] hashes,
        Dictionary<Guid, Job> inserted, CancellationToken cancellationToken)
    {
        var inputs = parameters.Jobs;
        var results = new List<JobInsertResult>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inserted.TryGetValue(ids[i], out var job))
            {
                results.Add(new JobInsertResult(job, Created: true, SameRequest: true));
                continue;
            }

            // Only a live idempotency key makes the insert skip a row: return the job it names.
            var key = inputs[i].IdempotencyKey ?? throw new InvalidOperationException("A job without an idempotency key was not inserted.");
            await using var get = new NpgsqlCommand(GetByIdempotencyKeySql, connection, transaction);
            get.Parameters.AddWithValue("workspace_id", parameters.WorkspaceId);
            get.Parameters.AddWithValue("key", key);
            await using var reader = await get.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException($"Idempotency key '{key}' conflicted but no job holds it.");
            }

            var existing = JobRows.Read(reader);
            var hashOrdinal = reader.FieldCount - 1;
            // Keys stored before request hashes existed are compared by type and payload.
            var same = reader.IsDBNull(hashOrdinal)
                ? existing.Type == inputs[i].Type && JsonElement.DeepEquals(existing.Payload, inputs[i].Payload)
                : reader.GetFieldValue<byte[]>(hashOrdinal).AsSpan().SequenceEqual(hashes[i]!);
            results.Add(new JobInsertResult(existing, Created: false, SameRequest: same));
        }

        return results;
    }

    public async Task<int> IdempotencyKeyDeleteExpiredAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(DeleteExpiredKeysSql);
        command.Parameters.AddWithValue("limit", limit);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private const string IdempotencyKeyUsedListSql = """
        SELECT key
        FROM idempotency_keys
        WHERE workspace_id = @workspace_id
          AND key = ANY(@keys)
          AND expires_at > now()
        """;

    public async Task<IReadOnlySet<string>> IdempotencyKeyUsedListAsync(Guid workspaceId, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(IdempotencyKeyUsedListSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("keys", keys.ToArray());
        var used = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            used.Add(reader.GetString(0));
        }

        return used;
    }
}
