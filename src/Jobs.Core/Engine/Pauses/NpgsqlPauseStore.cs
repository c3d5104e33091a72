using System.Globalization;
using Jobs.Core.Engine.Storage;
using Jobs.Core.Identity;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Engine.Pauses;

/// <summary>
/// The one <see cref="IPauseStore"/> implementation. Each change and its <c>audit_events</c> row are one statement, and
/// a change that changes nothing (pausing what is paused, resuming what is not) writes no audit row.
/// </summary>
public sealed class NpgsqlPauseStore(NpgsqlDataSource dataSource) : IPauseStore
{
    private const string ListSql = """
        SELECT p.kind, p.name, p.paused_at, p.paused_by, u.email
        FROM workspace_pauses p
        LEFT JOIN users u ON u.id = p.paused_by
        WHERE p.workspace_id = @workspace_id
        ORDER BY p.kind, p.name
        """;

    // s: the changed row, if any; the audit entry names the actor as the other admin actions do.
    private const string AuditSql = """
        audit AS (
            INSERT INTO audit_events (workspace_id, action, actor_user_id, actor_email, actor_api_key_id, details)
            SELECT @workspace_id, @action, a.id, a.email, @actor_api_key_id, jsonb_build_object('name', s.name)
            FROM s
            LEFT JOIN users a ON a.id = @actor_user_id
        )
        """;

    // The insert sees no row that a concurrent pause is committing, so ON CONFLICT answers it: then the row as the
    // other committed it is read, and only the first pause is audited.
    private const string SetSql = $"""
        WITH s AS (
            INSERT INTO workspace_pauses (workspace_id, kind, name, paused_by)
            VALUES (@workspace_id, @kind, @name, @actor_user_id)
            ON CONFLICT (workspace_id, kind, name) DO NOTHING
            RETURNING name, paused_at, paused_by
        ),
        {AuditSql}
        SELECT s.name, s.paused_at, s.paused_by, u.email
        FROM s
        LEFT JOIN users u ON u.id = s.paused_by
        """;

    private const string GetSql = """
        SELECT p.name, p.paused_at, p.paused_by, u.email
        FROM workspace_pauses p
        LEFT JOIN users u ON u.id = p.paused_by
        WHERE p.workspace_id = @workspace_id
          AND p.kind = @kind
          AND p.name = @name
        """;

    private const string ClearSql = $"""
        WITH s AS (
            DELETE FROM workspace_pauses
            WHERE workspace_id = @workspace_id
              AND kind = @kind
              AND name = @name
            RETURNING name
        ),
        {AuditSql}
        SELECT count(*) FROM s
        """;

    // Marking a paused name's ready jobs takes them out of the ready index (migration 0026), so the fills do not read
    // past them; {0} is the column the pause names. Jobs hinted or scheduled now are left unmarked: the pause rule
    // passes them over when they come back to the fills.
    private const string MarkSql = """
        UPDATE jobs j
        SET paused = true
        WHERE j.workspace_id = @workspace_id
          AND j.status = 'pending'
          AND j.hinted_at IS NULL
          AND NOT j.scheduled
          AND NOT j.paused
          AND j.{0} = @name
        """;

    // A resume unmarks every marked job of the workspace that no pause left holds, whatever its status: a marked job
    // cancelled during the pause and retried later must not come back marked.
    private static readonly string UnmarkSql = $"""
        WITH pz AS (
            {JobRules.PausesOf("@workspace_id")}
        )
        UPDATE jobs j
        SET paused = false
        FROM pz
        WHERE j.workspace_id = @workspace_id
          AND j.paused
          AND {JobRules.NotPaused("j", "pz.paused_types", "pz.paused_queues")}
        """;

    public async Task<WorkspacePauses> PauseListAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ListSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        var queues = new List<Pause>();
        var types = new List<Pause>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var kind = KindOf(reader.GetString(0));
            (kind == PauseKind.Queue ? queues : types).Add(new Pause(kind, reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetGuid(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return new WorkspacePauses(queues, types);
    }

    public async Task<Pause> PauseSetAsync(Caller caller, PauseKind kind, string name, CancellationToken cancellationToken)
    {
        // Already paused: the pause as it is. Should another admin resume it between the two statements, the insert
        // runs again, so the answer is always a pause that exists.
        while (true)
        {
            await using (var command = CallerCommand(SetSql, caller, kind, name, kind == PauseKind.Queue ? AuditActions.QueuePaused : AuditActions.JobTypePaused))
            {
                if (await ReadPauseAsync(command, kind, cancellationToken) is { } created)
                {
                    await MarkAsync(caller.WorkspaceId, kind, name, cancellationToken);
                    return created;
                }
            }

            await using var get = dataSource.CreateCommand(GetSql);
            AddKey(get.Parameters, caller.WorkspaceId, kind, name);
            if (await ReadPauseAsync(get, kind, cancellationToken) is { } existing)
            {
                // Pausing again also marks what came back to the fills since (a retry during the pause).
                await MarkAsync(caller.WorkspaceId, kind, name, cancellationToken);
                return existing;
            }
        }
    }

    private async Task MarkAsync(Guid workspaceId, PauseKind kind, string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(string.Format(CultureInfo.InvariantCulture, MarkSql, kind == PauseKind.Queue ? "queue" : "type"));
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("name", name);
        command.CommandTimeout = 300;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> PauseClearAsync(Caller caller, PauseKind kind, string name, CancellationToken cancellationToken)
    {
        bool cleared;
        await using (var command = CallerCommand(ClearSql, caller, kind, name, kind == PauseKind.Queue ? AuditActions.QueueResumed : AuditActions.JobTypeResumed))
        {
            cleared = (long)(await command.ExecuteScalarAsync(cancellationToken))! > 0;
        }

        // Unmarked after the pause is gone, so a fill between the two passes the jobs over by the pause rule no longer
        // and finds them once they are back in the ready index; the caller's fill follows.
        await using var unmark = dataSource.CreateCommand(UnmarkSql);
        unmark.Parameters.AddWithValue("workspace_id", caller.WorkspaceId);
        unmark.CommandTimeout = 300;
        await unmark.ExecuteNonQueryAsync(cancellationToken);
        return cleared;
    }

    /// <summary>The <c>kind</c> column's value.</summary>
    public static string KindValue(PauseKind kind) => kind == PauseKind.Queue ? "queue" : "type";

    private static PauseKind KindOf(string value) => value == "queue" ? PauseKind.Queue : PauseKind.Type;

    private NpgsqlCommand CallerCommand(string sql, Caller caller, PauseKind kind, string name, string action)
    {
        var command = dataSource.CreateCommand(sql);
        AddKey(command.Parameters, caller.WorkspaceId, kind, name);
        command.Parameters.AddWithValue("action", action);
        command.Parameters.AddWithValue("actor_user_id", caller.UserId);
        command.Parameters.Add(new NpgsqlParameter("actor_api_key_id", NpgsqlDbType.Uuid) { Value = (object?)caller.ApiKeyId ?? DBNull.Value });
        return command;
    }

    private static void AddKey(NpgsqlParameterCollection parameters, Guid workspaceId, PauseKind kind, string name)
    {
        parameters.AddWithValue("workspace_id", workspaceId);
        parameters.AddWithValue("kind", KindValue(kind));
        parameters.AddWithValue("name", name);
    }

    private static async Task<Pause?> ReadPauseAsync(NpgsqlCommand command, PauseKind kind, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Pause(kind, reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.IsDBNull(2) ? null : reader.GetGuid(2), reader.IsDBNull(3) ? null : reader.GetString(3))
            : null;
    }
}
