using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Testing.Processes;

/// <summary>Workspaces made by SQL, as the API's own seed stores them, for environments that seed nothing.</summary>
public sealed partial class ProcessCluster
{
    // The rows NpgsqlWorkspaceStore's WorkspaceEnsureSql writes (workspace, its admin, a key stored as its SHA-256 and
    // its clear prefix), every other column from its default; nothing when the workspace exists already.
    private const string WorkspaceInsertSql = """
        WITH workspace AS (
            INSERT INTO workspaces (id, name)
            VALUES (@workspace_id, @name)
            ON CONFLICT (id) DO NOTHING
            RETURNING id
        ),
        account AS (
            INSERT INTO users (id, workspace_id, email, display_name, role)
            SELECT @user_id, w.id, @email, @name, 'admin'
            FROM workspace w
            RETURNING id, workspace_id
        )
        INSERT INTO api_keys (id, workspace_id, user_id, name, key_hash, prefix)
        SELECT @key_id, a.workspace_id, a.id, 'harness', @key_hash, @prefix
        FROM account a
        """;

    // Limits as an admin sets them (PUT /api/workspace/limits); null leaves the default.
    private const string WorkspaceLimitsSql = """
        UPDATE workspaces
        SET max_concurrent_jobs = coalesce(@max_concurrent_jobs, max_concurrent_jobs),
            requests_per_minute = coalesce(@requests_per_minute, requests_per_minute)
        WHERE id = @workspace_id
        """;

    /// <summary>Makes the workspace with its admin and key, unless it exists; then applies its limits. Needs the migrations applied (the API started).</summary>
    public async Task WorkspaceCreateAsync(WorkspaceSpec spec)
    {
        await using var connection = new NpgsqlConnection(HarnessConnectionString);
        await connection.OpenAsync();
        await using var batch = new NpgsqlBatch(connection);
        var insert = new NpgsqlBatchCommand(WorkspaceInsertSql);
        insert.Parameters.AddWithValue("workspace_id", spec.Id);
        insert.Parameters.AddWithValue("name", spec.Name);
        insert.Parameters.AddWithValue("user_id", Guid.CreateVersion7());
        insert.Parameters.AddWithValue("email", $"{spec.Name}@harness.local");
        insert.Parameters.AddWithValue("key_id", Guid.CreateVersion7());
        insert.Parameters.AddWithValue("key_hash", SHA256.HashData(Encoding.UTF8.GetBytes(spec.ApiKey)));
        // ApiKeyHasher.PrefixOf: the first 12 characters, or 4 of a short key.
        insert.Parameters.AddWithValue("prefix", spec.ApiKey.Length <= 12 ? spec.ApiKey[..Math.Min(4, spec.ApiKey.Length)] : spec.ApiKey[..12]);
        batch.BatchCommands.Add(insert);
        var limits = new NpgsqlBatchCommand(WorkspaceLimitsSql);
        limits.Parameters.AddWithValue("workspace_id", spec.Id);
        limits.Parameters.Add(new NpgsqlParameter("max_concurrent_jobs", NpgsqlDbType.Integer) { Value = (object?)spec.MaxConcurrentJobs ?? DBNull.Value });
        limits.Parameters.Add(new NpgsqlParameter("requests_per_minute", NpgsqlDbType.Integer) { Value = (object?)spec.RequestsPerMinute ?? DBNull.Value });
        batch.BatchCommands.Add(limits);
        await batch.ExecuteNonQueryAsync();
    }
}
