using System.Text.Json;
using Jobs.Core.Database;
using Jobs.Cron;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Engine.Schedules;

/// <summary>
/// The one <see cref="IScheduleStore"/> implementation. A schedule's next tick is computed from the database's
/// <c>now()</c>, read in the statement before the write, so that every API instance and worker agrees on it whatever
/// their own clocks say (docs/design.md, "Schedules").
/// </summary>
public sealed partial class NpgsqlScheduleStore(NpgsqlDataSource dataSource) : IScheduleStore
{
    private const string NameConstraint = "schedules_workspace_name";

    private const string Columns = """
        s.id, s.workspace_id, s.user_id, s.name, s.cron, s.time_zone, s.type, s.payload, s.priority, s.max_attempts,
        s.timeout_seconds, s.missed_policy, s.paused, s.next_run_at, s.last_run_at, s.last_job_id, s.created_at, s.updated_at,
        (SELECT u.removed_at IS NOT NULL FROM users u WHERE u.id = s.user_id)
        """;

    // A schedule runs as its owner; one whose owner was removed from the workspace fires no more (the leader passes over
    // it) until a member edits or resumes it, who then owns it (docs/design.md, "Schedules").
    private const string TakeOverFromRemoved = """
        user_id = CASE WHEN (SELECT u.removed_at IS NOT NULL FROM users u WHERE u.id = s.user_id) THEN @editor_id ELSE s.user_id END
        """;

    private const string NowSql = "SELECT now()";

    private static readonly string InsertSql = $"""
        INSERT INTO schedules AS s (id, workspace_id, user_id, name, cron, time_zone, type, payload, priority, max_attempts,
                                    timeout_seconds, missed_policy, paused, next_run_at)
        VALUES (@id, @workspace_id, @user_id, @name, @cron, @time_zone, @type, @payload, @priority, @max_attempts,
                @timeout_seconds, @missed_policy, @paused, @next_run_at)
        ON CONFLICT ON CONSTRAINT {NameConstraint} DO NOTHING
        RETURNING {Columns}
        """;

    private static readonly string GetSql = $"""
        SELECT {Columns}
        FROM schedules s
        WHERE s.workspace_id = @workspace_id
          AND s.id = @id
        """;

    private static readonly string ListSql = $"""
        SELECT {Columns}
        FROM schedules s
        WHERE s.workspace_id = @workspace_id
          AND (@cursor::uuid IS NULL OR s.id < @cursor)
        ORDER BY s.id DESC
        LIMIT @limit
        """;

    // The same expression and zone keep the tick already due, so an edit of the name or payload never skips one.
    private static readonly string UpdateSql = $"""
        UPDATE schedules s
        SET name = @name,
            cron = @cron,
            time_zone = @time_zone,
            type = @type,
            payload = @payload,
            priority = @priority,
            max_attempts = @max_attempts,
            timeout_seconds = @timeout_seconds,
            missed_policy = @missed_policy,
            next_run_at = CASE
                WHEN s.paused THEN NULL
                WHEN s.cron = @cron AND s.time_zone = @time_zone THEN s.next_run_at
                ELSE @next_run_at END,
            {TakeOverFromRemoved},
            updated_at = now()
        WHERE s.workspace_id = @workspace_id
          AND s.id = @id
        RETURNING {Columns}
        """;

    private static readonly string PauseSql = $"""
        UPDATE schedules s
        SET paused = true,
            next_run_at = NULL,
            updated_at = now()
        WHERE s.workspace_id = @workspace_id
          AND s.id = @id
        RETURNING {Columns}
        """;

    // Only a paused schedule gets a new next tick: resuming a running one changes nothing.
    private static readonly string ResumeSql = $"""
        UPDATE schedules s
        SET paused = false,
            next_run_at = @next_run_at,
            {TakeOverFromRemoved},
            updated_at = now()
        WHERE s.workspace_id = @workspace_id
          AND s.id = @id
          AND s.paused
        RETURNING {Columns}
        """;

    private const string DeleteSql = """
        DELETE FROM schedules
        WHERE workspace_id = @workspace_id
          AND id = @id
        """;

    public async Task<Schedule?> ScheduleCreateAsync(Guid workspaceId, Guid userId, ScheduleDefinition definition, bool paused, CancellationToken cancellationToken)
    {
        var next = paused ? null : await NextAfterNowAsync(definition, cancellationToken);
        await using var command = dataSource.CreateCommand(InsertSql);
        command.Parameters.AddWithValue("id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("user_id", userId);
        command.Parameters.AddWithValue("paused", paused);
        AddDefinition(command, definition, next);
        return await ReadSingleAsync(command, cancellationToken);
    }

    public async Task<Schedule?> ScheduleGetAsync(Guid workspaceId, Guid scheduleId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(GetSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("id", scheduleId);
        return await ReadSingleAsync(command, cancellationToken);
    }

    public async Task<SchedulePage> ScheduleListAsync(Guid workspaceId, int limit, Guid? cursor, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ListSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.Add(new NpgsqlParameter("cursor", NpgsqlDbType.Uuid) { Value = (object?)cursor ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", Keyset.RowsFor(limit));
        var (items, next) = Keyset.Page(await ReadAllAsync(command, cancellationToken), limit, s => s.Id);
        return new SchedulePage(items, next);
    }

    public async Task<ScheduleWriteResult> ScheduleUpdateAsync(Guid workspaceId, Guid scheduleId, ScheduleDefinition definition, Guid editorId, CancellationToken cancellationToken)
    {
        var next = await NextAfterNowAsync(definition, cancellationToken);
        await using var command = dataSource.CreateCommand(UpdateSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("id", scheduleId);
        command.Parameters.AddWithValue("editor_id", editorId);
        AddDefinition(command, definition, next);
        try
        {
            return new ScheduleWriteResult(await ReadSingleAsync(command, cancellationToken), NameTaken: false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == NameConstraint)
        {
            return new ScheduleWriteResult(null, NameTaken: true);
        }
    }

    public async Task<Schedule?> ScheduleSetPausedAsync(Guid workspaceId, Guid scheduleId, bool paused, Guid editorId, CancellationToken cancellationToken)
    {
        if (await ScheduleGetAsync(workspaceId, scheduleId, cancellationToken) is not { } current)
        {
            return null;
        }

        if (!paused && !current.Paused)
        {
            return current;
        }

        var next = paused ? null : await NextAfterNowAsync(current.Definition, cancellationToken);
        await using var command = dataSource.CreateCommand(paused ? PauseSql : ResumeSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("id", scheduleId);
        if (!paused)
        {
            command.Parameters.Add(Timestamp("next_run_at", next));
            command.Parameters.AddWithValue("editor_id", editorId);
        }

        // A resume that found the schedule running already (a concurrent resume) answers with it as it is.
        return await ReadSingleAsync(command, cancellationToken) ?? await ScheduleGetAsync(workspaceId, scheduleId, cancellationToken);
    }

    public async Task<bool> ScheduleDeleteAsync(Guid workspaceId, Guid scheduleId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(DeleteSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("id", scheduleId);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>The definition's first tick after the database's now.</summary>
    private async Task<DateTimeOffset?> NextAfterNowAsync(ScheduleDefinition definition, CancellationToken cancellationToken)
    {
        var cron = ScheduleCron.Parse(definition.Cron, definition.TimeZone);
        await using var command = dataSource.CreateCommand(NowSql);
        var now = (DateTime)(await command.ExecuteScalarAsync(cancellationToken))!;
        return cron.NextAfter(new DateTimeOffset(now, TimeSpan.Zero));
    }

    private static void AddDefinition(NpgsqlCommand command, ScheduleDefinition definition, DateTimeOffset? next)
    {
        command.Parameters.AddWithValue("name", definition.Name);
        command.Parameters.AddWithValue("cron", definition.Cron);
        command.Parameters.AddWithValue("time_zone", definition.TimeZone);
        command.Parameters.AddWithValue("type", definition.Type);
        command.Parameters.Add(new NpgsqlParameter("payload", NpgsqlDbType.Jsonb) { Value = definition.Payload.GetRawText() });
        command.Parameters.AddWithValue("priority", definition.Priority);
        command.Parameters.AddWithValue("max_attempts", definition.MaxAttempts);
        command.Parameters.AddWithValue("timeout_seconds", definition.TimeoutSeconds);
        command.Parameters.AddWithValue("missed_policy", definition.MissedPolicy);
        command.Parameters.Add(Timestamp("next_run_at", next));
    }

    private static NpgsqlParameter Timestamp(string name, DateTimeOffset? value) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = (object?)value?.UtcDateTime ?? DBNull.Value };

    private static Schedule Read(NpgsqlDataReader r) => new()
    {
        Id = r.GetGuid(0),
        WorkspaceId = r.GetGuid(1),
        UserId = r.GetGuid(2),
        Definition = new ScheduleDefinition(
            r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetFieldValue<JsonElement>(7),
            r.GetInt16(8), r.GetInt32(9), r.GetInt32(10), r.GetString(11)),
        Paused = r.GetBoolean(12),
        NextRunAt = r.IsDBNull(13) ? null : r.GetFieldValue<DateTimeOffset>(13),
        LastRunAt = r.IsDBNull(14) ? null : r.GetFieldValue<DateTimeOffset>(14),
        LastJobId = r.IsDBNull(15) ? null : r.GetGuid(15),
        CreatedAt = r.GetFieldValue<DateTimeOffset>(16),
        UpdatedAt = r.GetFieldValue<DateTimeOffset>(17),
        OwnerRemoved = !r.IsDBNull(18) && r.GetBoolean(18),
    };

    private static async Task<List<Schedule>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<Schedule>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(Read(reader));
        }

        return items;
    }

    private static async Task<Schedule?> ReadSingleAsync(NpgsqlCommand command, CancellationToken cancellationToken) =>
        (await ReadAllAsync(command, cancellationToken)).SingleOrDefault();
}
