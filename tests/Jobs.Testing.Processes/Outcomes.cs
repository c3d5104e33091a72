using Npgsql;

namespace Jobs.Testing.Processes;

/// <summary>
/// One job as the database has it at the end: what the delivery invariants (docs/design.md, "Delivery invariants") are
/// checked on.
/// </summary>
public sealed record JobOutcome(
    Guid Id,
    string Status,
    int Attempt,
    int MaxAttempts,
    int? ResultAttempt,
    bool HasLease,
    long OutcomeEvents,
    long CompletedEvents,
    long Executions,
    long RetriesScheduled,
    long LeasesExpired,
    long HandedBack);

/// <summary>Reads every job's outcome from PostgreSQL and says which of them break an invariant.</summary>
public static class Outcomes
{
    private const string Sql = """
        SELECT j.id, j.status, j.attempt, j.max_attempts, (j.result ->> 'attempt')::int, j.lease_owner IS NOT NULL,
               count(*) FILTER (WHERE e.status IN ('completed', 'failed', 'cancelled')),
               count(*) FILTER (WHERE e.kind = 'completed'),
               count(*) FILTER (WHERE e.kind = 'started'),
               count(*) FILTER (WHERE e.kind = 'retry_scheduled'),
               count(*) FILTER (WHERE e.kind = 'lease_expired'),
               count(*) FILTER (WHERE e.kind = 'handed_back')
        FROM jobs j
        LEFT JOIN job_events e ON e.job_id = j.id
        WHERE cardinality(@ids) = 0 OR j.id = ANY(@ids)
        GROUP BY j.id
        """;

    public static async Task<IReadOnlyList<JobOutcome>> ReadAsync(string connectionString, IReadOnlyCollection<Guid>? ids = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.AddWithValue("ids", (ids ?? []).ToArray());
        var outcomes = new List<JobOutcome>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            outcomes.Add(new JobOutcome(
                reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.GetBoolean(5),
                reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11)));
        }

        return outcomes;
    }

    /// <summary>
    /// What is wrong with a finished job, or null: it must be terminal without a lease, have exactly one recorded
    /// outcome, and, when completed, exactly one completion whose result came from the attempt that holds the job.
    /// </summary>
    public static string? Violation(JobOutcome job)
    {
        if (job.Status is not ("completed" or "failed" or "cancelled"))
        {
            return $"job {job.Id} is {job.Status}, not terminal";
        }

        if (job.HasLease)
        {
            return $"job {job.Id} is {job.Status} but still holds a lease";
        }

        if (job.OutcomeEvents != 1)
        {
            return $"job {job.Id} has {job.OutcomeEvents} recorded outcomes";
        }

        if (job.Status == "completed" && (job.CompletedEvents != 1 || job.ResultAttempt != job.Attempt))
        {
            return $"job {job.Id} completed {job.CompletedEvents} times, result from attempt {job.ResultAttempt}, job at attempt {job.Attempt}";
        }

        return null;
    }

    /// <summary>Throws, naming every violation, unless all the jobs are finished correctly.</summary>
    public static async Task<IReadOnlyList<JobOutcome>> AssertExactlyOnceAsync(string connectionString, IReadOnlyCollection<Guid> ids)
    {
        var outcomes = await ReadAsync(connectionString, ids);
        var problems = outcomes.Select(Violation).OfType<string>().ToList();
        var missing = ids.Except(outcomes.Select(o => o.Id)).ToList();
        problems.AddRange(missing.Select(id => $"job {id} is missing"));
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems.Take(20)));
        }

        return outcomes;
    }

    /// <summary>Attempts beyond the first that no recorded failure asked for: runs a crash, a pause or a shutdown caused.</summary>
    public static long ExtraExecutions(JobOutcome job) => Math.Max(0, job.Executions - 1 - job.RetriesScheduled);
}
