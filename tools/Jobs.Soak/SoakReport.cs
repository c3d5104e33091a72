using Jobs.Testing.Processes;
using Npgsql;

namespace Jobs.Soak;

/// <summary>
/// Checks the end state of a soak run from PostgreSQL and measures how long jobs waited: each job's first start, and
/// each restart after a lost lease, against the moment it was due (submitted, or the fault that stopped its worker),
/// or the end of the last fault injected while it waited, whichever is later: a second fault (the maintenance leader
/// killed, Redis away) starts its recovery again, and during an outage of Redis or the API nothing of it can run.
/// </summary>
public static class SoakReport
{
    public static async Task<SoakFigures> BuildAsync(
        ProcessCluster cluster, SoakOptions options, IReadOnlyCollection<Guid> accepted, IReadOnlyList<Fault> faults, int submitRetries, TimeSpan elapsed)
    {
        var violations = new List<string>();
        var outcomes = await Outcomes.ReadAsync(cluster.DatabaseConnectionString);
        violations.AddRange(outcomes.Select(Outcomes.Violation).OfType<string>());
        if (outcomes.Count != accepted.Count || accepted.Distinct().Count() != accepted.Count)
        {
            violations.Add($"{accepted.Count} submissions accepted ({accepted.Distinct().Count()} distinct ids) but {outcomes.Count} jobs stored");
        }

        var bound = cluster.Options.LeaseDuration + cluster.Options.MaintenanceInterval;
        var (maxWait, maxRecovery) = await MeasureWaitsAsync(cluster.DatabaseConnectionString, faults, bound + options.SchedulingSlack, violations);
        return new SoakFigures(
            accepted.Count,
            outcomes.Count(o => o.Status == "completed"),
            outcomes.Count(o => o.Status == "failed"),
            faults.GroupBy(f => f.Kind).ToDictionary(g => g.Key, g => g.Count()),
            outcomes.Sum(Outcomes.ExtraExecutions),
            outcomes.Count(o => o.OutcomeEvents > 1 || o.CompletedEvents > 1),
            submitRetries,
            maxWait,
            maxRecovery,
            bound,
            elapsed,
            violations);
    }

    private static async Task<(TimeSpan MaxWait, TimeSpan MaxRecovery)> MeasureWaitsAsync(
        string connectionString, IReadOnlyList<Fault> faults, TimeSpan limit, List<string> violations)
    {
        const string sql = """
            SELECT job_id, kind, created_at
            FROM job_events
            WHERE kind IN ('created', 'started', 'lease_expired')
            ORDER BY job_id, id
            """;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var maxWait = TimeSpan.Zero;
        var maxRecovery = TimeSpan.Zero;
        Guid job = default;
        DateTimeOffset? waitingSince = null;
        var restart = false;
        while (await reader.ReadAsync())
        {
            var (id, kind, at) = (reader.GetGuid(0), reader.GetString(1), new DateTimeOffset(reader.GetDateTime(2), TimeSpan.Zero));
            if (id != job)
            {
                (job, waitingSince, restart) = (id, null, false);
            }

            switch (kind)
            {
                case "created":
                    waitingSince = at;
                    break;
                case "lease_expired":
                    // Due again from the fault that stopped its worker, not from the moment the lease was found expired.
                    waitingSince = faults.Where(f => !f.Outage && f.Start <= at).Select(f => (DateTimeOffset?)f.Start).LastOrDefault() ?? at;
                    restart = true;
                    break;
                case "started" when waitingSince is { } since:
                    var due = Due(since, at, faults);
                    var wait = at - due;
                    maxWait = wait > maxWait ? wait : maxWait;
                    if (restart)
                    {
                        maxRecovery = wait > maxRecovery ? wait : maxRecovery;
                    }

                    if (wait > limit)
                    {
                        violations.Add($"job {id} started {wait.TotalSeconds:0.00} s past due (limit {limit.TotalSeconds:0.00} s): waiting since {since:HH:mm:ss.fff}, due {due:HH:mm:ss.fff}, started {at:HH:mm:ss.fff}{(restart ? " after a lost lease" : "")}");
                    }

                    (waitingSince, restart) = (null, false);
                    break;
            }
        }

        return (maxWait, maxRecovery);
    }

    private static DateTimeOffset Due(DateTimeOffset since, DateTimeOffset started, IReadOnlyList<Fault> faults)
    {
        var due = since;
        foreach (var fault in faults.Where(f => f.Start <= started && f.End >= due))
        {
            due = fault.End > due ? fault.End : due;
        }

        return due;
    }
}
