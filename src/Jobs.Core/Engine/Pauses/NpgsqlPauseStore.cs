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
    // A million jobs take about half a minute to mark (docs/design.md, "Pausing").
    private const int MarkTimeoutSeconds = 300;

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
        // The pause and the marking of its jobs commit together, so a resume can never land between them and leave jobs
        // marked with no pause in force. Already paused: the pause as it is, its row share-locked while what came back
        // to the fills since (a retry during the pause) is marked too; should another admin resume it meanwhile, the
        // insert runs again, so the answer is always a pause that exists.
        while (true)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            Pause? pause;
            await using (var command = CallerCommand(connection, SetSql, caller, kind, name, kind == PauseKind.Queue ? AuditActions.QueuePaused : AuditActions.JobTypePaused))
            {
                pause = await ReadPauseAsync(command, kind, cancellationToken);
            }

            if (pause is null)
            {
                await using var get = new NpgsqlCommand(GetSql + " FOR SHARE OF p", connection);
                AddKey(get.Parameters, caller.WorkspaceId, kind, name);
                pause = await ReadPauseAsync(get, kind, cancellationToken);
            }

            if (pause is not null)
            {
                await using var mark = new NpgsqlCommand(string.Format(CultureInfo.InvariantCulture, MarkSql, KindValue(kind)), connection) { CommandTimeout = MarkTimeoutSeconds };
                mark.Parameters.AddWithValue("workspace_id", caller.WorkspaceId);
                mark.Parameters.AddWithValue("name", name);
                await mark.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return pause;
            }
        }
    }

    public async Task<bool> PauseClearAsync(Caller caller, PauseKind kind, string name, CancellationToken cancellationToken)
    {
        // The resume and the unmarking of what no other pause holds commit together (see PauseSetAsync); resuming
        // what is not paused changes nothing.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = CallerCommand(connection, ClearSql, caller, kind, name, kind == PauseKind.Queue ? AuditActions.QueueResumed : AuditActions.JobTypeResumed))
        {
            if ((long)(await command.ExecuteScalarAsync(cancellationToken))! == 0)
            {
                return false;
            }
        }

        await using var unmark = new NpgsqlCommand(UnmarkSql, connection) { CommandTimeout = MarkTimeoutSeconds };
        unmark.Parameters.AddWithValue("workspace_id", caller.WorkspaceId);
        await unmark.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The <c>kind</c> column's value.</summary>
    public static string KindValue(PauseKind kind) => kind == PauseKind.Queue ? "queue" : "type";

    private static PauseKind KindOf(string value) => value == "queue" ? PauseKind.Queue : PauseKind.Type;

    private static NpgsqlCommand CallerCommand(NpgsqlConnection connection, string sql, Caller caller, PauseKind kind, string name, string action)
    {
        var command = new NpgsqlCommand(sql, connection);
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
