using Jobs.Core.Engine.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Engine.Schedules;

/// <summary>
/// Firing a due schedule (docs/design.md, "Schedules"): exactly one job per tick, however many workers race for it.
/// <para>
/// The leader reads the due schedules with the database's clock, decides each one's tick in memory (Cronos, in the
/// schedule's zone), then writes it in one transaction: first a compare-and-set of <c>next_run_at</c> from the value it
/// read, under its leader term, which also locks the row, so that a concurrent firer waits and then matches nothing;
/// then the tick's job through the submit's own insert (<see cref="NpgsqlJobStore"/>), with the workspace's fill. The
/// job row carries the tick's identity, <c>(schedule_id, schedule_tick_at)</c>, under a unique index: a second job for
/// one tick cannot be committed, whatever happened to <c>next_run_at</c>.
/// </para>
/// </summary>
public sealed partial class NpgsqlScheduleStore
{
    private const string TickConstraint = "jobs_schedule_tick";

    private static readonly string DueSql = $"""
        SELECT {Columns}, now()
        FROM schedules s
        JOIN users u ON u.id = s.user_id
        WHERE NOT s.paused
          AND s.next_run_at <= now()
          AND u.removed_at IS NULL
        ORDER BY s.next_run_at
        LIMIT @limit
        """;

    private static readonly string AdvanceSql = $"""
        UPDATE schedules s
        SET next_run_at = @next_run_at,
            last_run_at = coalesce(@tick_at, s.last_run_at),
            last_job_id = coalesce(@job_id, s.last_job_id)
        WHERE s.id = @id
          AND NOT s.paused
          AND s.next_run_at = @expected
          AND s.next_run_at <= now()
          AND {NpgsqlJobStore.LeaderHoldsTerm}
        RETURNING s.id
        """;

    public async Task<DueSchedules> ScheduleListDueAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(DueSql);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<Schedule>();
        var now = DateTimeOffset.MinValue;
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(Read(reader));
            now = reader.GetFieldValue<DateTimeOffset>(reader.FieldCount - 1);
        }

        return new DueSchedules(items, now);
    }

    public async Task<ScheduleFireResult?> ScheduleFireAsync(ScheduleFireParams parameters, CancellationToken cancellationToken)
    {
        try
        {
            return await FireAsync(parameters, cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == TickConstraint)
        {
            // The tick has its job already: only move the schedule on.
            return await FireAsync(parameters with { Job = null, Tick = parameters.Tick with { FireAt = null } }, cancellationToken);
        }
    }

    private async Task<ScheduleFireResult?> FireAsync(ScheduleFireParams parameters, CancellationToken cancellationToken)
    {
        var schedule = parameters.Schedule;
        var job = parameters.Tick.FireAt is { } tickAt && parameters.Job is { } input ? input with { ScheduleId = schedule.Id, ScheduleTickAt = tickAt } : null;
        var jobId = job is null ? (Guid?)null : Guid.CreateVersion7();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var advance = new NpgsqlCommand(AdvanceSql, connection, transaction))
        {
            advance.Parameters.AddWithValue("id", schedule.Id);
            advance.Parameters.Add(Timestamp("expected", parameters.ExpectedNextRunAt));
            advance.Parameters.Add(Timestamp("next_run_at", parameters.Tick.NextRunAt));
            advance.Parameters.Add(Timestamp("tick_at", job is null ? null : parameters.Tick.FireAt));
            advance.Parameters.Add(new NpgsqlParameter("job_id", NpgsqlDbType.Uuid) { Value = (object?)jobId ?? DBNull.Value });
            NpgsqlJobStore.AddLeader(advance.Parameters, parameters.Leader);
            if (await advance.ExecuteScalarAsync(cancellationToken) is null)
            {
                // A deposed leader, or a schedule fired, edited, paused or deleted since it was read.
                await transaction.RollbackAsync(cancellationToken);
                return null;
            }
        }

        if (job is null)
        {
            await transaction.CommitAsync(cancellationToken);
            return new ScheduleFireResult(null, []);
        }

        Job created;
        await using (var insert = new NpgsqlBatch(connection, transaction))
        {
            var jobs = new JobInsertManyParams(schedule.WorkspaceId, schedule.UserId, [job]);
            insert.BatchCommands.Add(NpgsqlJobStore.InsertCommand(jobs, [jobId!.Value], [null]));
            await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
            created = (await JobRows.ReadAllAsync(reader, cancellationToken)).Single();
        }

        var hints = parameters.HintLimit > 0 && job.RunAt is null
            ? await NpgsqlJobStore.HintNextAsync(connection, schedule.WorkspaceId, parameters.HintLimit, parameters.Leader, cancellationToken, transaction)
            : [];
        await transaction.CommitAsync(cancellationToken);
        return new ScheduleFireResult(created, hints);
    }
}
