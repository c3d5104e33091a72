using System.Text.Json;
using Jobs.Core.Database;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Engine.Templates;

/// <summary>The one <see cref="IJobTemplateStore"/> implementation.</summary>
public sealed class NpgsqlJobTemplateStore(NpgsqlDataSource dataSource) : IJobTemplateStore
{
    private const string Columns = """
        t.id, t.workspace_id, t.user_id, t.name, t.type, t.payload, t.priority, t.max_attempts, t.timeout_seconds, t.created_at
        """;

    // A taken name inserts nothing and returns no row, so no exception is needed to tell it apart.
    private static readonly string InsertSql = $"""
        INSERT INTO job_templates AS t (id, workspace_id, user_id, name, type, payload, priority, max_attempts, timeout_seconds)
        VALUES (@id, @workspace_id, @user_id, @name, @type, @payload, @priority, @max_attempts, @timeout_seconds)
        ON CONFLICT ON CONSTRAINT job_templates_workspace_name DO NOTHING
        RETURNING {Columns}
        """;

    private static readonly string GetSql = $"""
        SELECT {Columns}
        FROM job_templates t
        WHERE t.workspace_id = @workspace_id
          AND t.id = @id
        """;

    private static readonly string ListSql = $"""
        SELECT {Columns}
        FROM job_templates t
        WHERE t.workspace_id = @workspace_id
          AND (@cursor::uuid IS NULL OR t.id < @cursor)
        ORDER BY t.id DESC
        LIMIT @limit
        """;

    private const string DeleteSql = """
        DELETE FROM job_templates
        WHERE workspace_id = @workspace_id
          AND id = @id
        """;

    public async Task<JobTemplate?> TemplateCreateAsync(Guid workspaceId, Guid userId, JobTemplateDefinition definition, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(InsertSql);
        command.Parameters.AddWithValue("id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("user_id", userId);
        command.Parameters.AddWithValue("name", definition.Name);
        command.Parameters.AddWithValue("type", definition.Type);
        command.Parameters.Add(new NpgsqlParameter("payload", NpgsqlDbType.Jsonb) { Value = definition.Payload.GetRawText() });
        command.Parameters.AddWithValue("priority", definition.Priority);
        command.Parameters.Add(new NpgsqlParameter("max_attempts", NpgsqlDbType.Integer) { Value = (object?)definition.MaxAttempts ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("timeout_seconds", NpgsqlDbType.Integer) { Value = (object?)definition.TimeoutSeconds ?? DBNull.Value });
        return (await ReadAllAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<JobTemplate?> TemplateGetAsync(Guid workspaceId, Guid templateId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(GetSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("id", templateId);
        return (await ReadAllAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<JobTemplatePage> TemplateListAsync(Guid workspaceId, int limit, Guid? cursor, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ListSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.Add(new NpgsqlParameter("cursor", NpgsqlDbType.Uuid) { Value = (object?)cursor ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", Keyset.RowsFor(limit));
        var (items, next) = Keyset.Page(await ReadAllAsync(command, cancellationToken), limit, t => t.Id);
        return new JobTemplatePage(items, next);
    }

    public async Task<bool> TemplateDeleteAsync(Guid workspaceId, Guid templateId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(DeleteSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("id", templateId);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static async Task<List<JobTemplate>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<JobTemplate>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new JobTemplate
            {
                Id = reader.GetGuid(0),
                WorkspaceId = reader.GetGuid(1),
                UserId = reader.GetGuid(2),
                Definition = new JobTemplateDefinition(
                    reader.GetString(3), reader.GetString(4), reader.GetFieldValue<JsonElement>(5), reader.GetInt16(6),
                    reader.IsDBNull(7) ? null : reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetInt32(8)),
                CreatedAt = reader.GetFieldValue<DateTimeOffset>(9),
            });
        }

        return items;
    }
}
