using System.Text.Json;
using Jobs.Contracts.Jobs;
using Jobs.Core.Database;
using Jobs.Core.Engine;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Engine.Storage;

/// <summary>
/// The one <see cref="IJobStore"/> implementation. Each statement is a visible constant; a transition and its
/// timeline event are written by the same statement (a data-modifying CTE named <c>changed</c>), so they commit together.
/// </summary>
public sealed partial class NpgsqlJobStore(NpgsqlDataSource dataSource) : IJobStore
{
    /// <summary>Appends one <c>job_events</c> row per row of the CTE <c>changed</c>.</summary>
    private static string EventFromChanged(string kind, string message = "NULL", string actor = "NULL") => $"""
        event AS (
            INSERT INTO job_events (job_id, workspace_id, kind, status, stage, attempt, message, actor)
            SELECT id, workspace_id, {kind}, status, stage, attempt, {message}, {actor}
            FROM changed
        )
        """;

    // The audit snapshot of who asked, written by the statement that makes the transition: the user's
    // email and the key's kind, name and prefix as they are now. NULL without an actor.
    private const string ActorSql = """
        (SELECT jsonb_strip_nulls(jsonb_build_object(
                    'userId', u.id,
                    'email', u.email,
                    'apiKeyId', k.id,
                    'apiKeyKind', k.kind,
                    'apiKeyName', k.name,
                    'apiKeyPrefix', k.prefix))
         FROM users u
         LEFT JOIN api_keys k ON k.id = @actor_key_id AND k.user_id = u.id
         WHERE u.id = @actor_user_id)
        """;

    private static readonly string GetSql = $"""
        SELECT {JobRows.Select("j")}
        FROM jobs j
        WHERE j.workspace_id = @workspace_id
          AND j.id = @id
        """;

    private static readonly string ListSql = $"""
        SELECT {JobRows.Select("j")}
        FROM jobs j
        WHERE j.workspace_id = @workspace_id
          AND (@status::text IS NULL OR j.status = @status)
          AND (@type::text IS NULL OR j.type = @type)
          AND (@schedule_id::uuid IS NULL OR j.schedule_id = @schedule_id)
          AND (@cursor::uuid IS NULL OR j.id < @cursor)
        ORDER BY j.id DESC
        LIMIT @limit
        """;

    private const string EventListSql = """
        SELECT e.id, e.job_id, e.kind, e.status, e.stage, e.attempt, e.message, e.created_at, e.actor
        FROM job_events e
        JOIN jobs j ON j.id = e.job_id
        WHERE j.workspace_id = @workspace_id
          AND e.job_id = @job_id
        ORDER BY e.id
        """;

    public async Task<Job?> JobGetAsync(Guid workspaceId, Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(GetSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("id", jobId);
        return await JobRows.ReadSingleAsync(command, cancellationToken);
    }

    public async Task<JobPage> JobListAsync(JobListParams parameters, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ListSql);
        command.Parameters.AddWithValue("workspace_id", parameters.WorkspaceId);
        command.Parameters.Add(new NpgsqlParameter("status", NpgsqlDbType.Text) { Value = (object?)parameters.Status ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("type", NpgsqlDbType.Text) { Value = (object?)parameters.Type ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("cursor", NpgsqlDbType.Uuid) { Value = (object?)parameters.Cursor ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("schedule_id", NpgsqlDbType.Uuid) { Value = (object?)parameters.ScheduleId ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", Keyset.RowsFor(parameters.Limit));
        var (jobs, next) = Keyset.Page(await JobRows.ReadAllAsync(command, cancellationToken), parameters.Limit, j => j.Id);
        return new JobPage(jobs, next);
    }

    public async Task<IReadOnlyList<JobEvent>> JobEventListAsync(Guid workspaceId, Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(EventListSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("job_id", jobId);
        var events = new List<JobEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new JobEvent(
                reader.GetInt64(0),
                reader.GetGuid(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(8) ? null : JsonSerializer.Deserialize<JobEventActor>(reader.GetString(8), JsonSerializerOptions.Web)));
        }

        return events;
    }

    private static NpgsqlParameter Jsonb(string name, JsonElement value) =>
        new(name, NpgsqlDbType.Jsonb) { Value = value.GetRawText() };

    private static NpgsqlParameter NullableText(string name, string? value) =>
        new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static void AddActor(NpgsqlCommand command, JobActor? actor) => AddActor(command.Parameters, actor);

    private static void AddActor(NpgsqlParameterCollection parameters, JobActor? actor)
    {
        parameters.Add(new NpgsqlParameter("actor_user_id", NpgsqlDbType.Uuid) { Value = (object?)actor?.UserId ?? DBNull.Value });
        parameters.Add(new NpgsqlParameter("actor_key_id", NpgsqlDbType.Uuid) { Value = (object?)actor?.ApiKeyId ?? DBNull.Value });
    }

    private static void AddLease(NpgsqlCommand command, JobLease lease)
    {
        command.Parameters.AddWithValue("id", lease.JobId);
        command.Parameters.AddWithValue("owner", lease.Owner);
        command.Parameters.AddWithValue("attempt", lease.Attempt);
    }

    private static void AddLeader(NpgsqlCommand command, LeaderTerm? leader) => AddLeader(command.Parameters, leader);

    internal static void AddLeader(NpgsqlParameterCollection parameters, LeaderTerm? leader)
    {
        parameters.Add(NullableText("leader_name", leader?.Name));
        parameters.Add(NullableText("leader_id", leader?.LeaderId));
        parameters.Add(new NpgsqlParameter("leader_term", NpgsqlDbType.Bigint) { Value = (object?)leader?.Term ?? DBNull.Value });
    }

    /// <summary>True when no leader is given, or when the given one still holds its term.</summary>
    internal const string LeaderHoldsTerm = """
        (@leader_name::text IS NULL OR EXISTS (
            SELECT 1
            FROM leader_leases l
            WHERE l.name = @leader_name
              AND l.leader_id = @leader_id
              AND l.term = @leader_term
              AND l.expires_at > now()))
        """;
}
