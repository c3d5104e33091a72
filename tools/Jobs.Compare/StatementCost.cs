using System.Text.Json.Nodes;
using Jobs.Testing.Processes;
using Npgsql;

namespace Jobs.Compare;

/// <summary>
/// SQL statements per job from pg_stat_statements, counting only the services' database user: the harness's own
/// queries (polling for completion, reading statistics) run as <see cref="HarnessUser"/> and are left out.
/// </summary>
internal static class StatementCost
{
    public const string HarnessUser = "bench_harness";
    public const string Setting = "shared_preload_libraries=pg_stat_statements";

    public static async Task InstallAsync(ProcessCluster cluster) =>
        await cluster.ScalarAsync<object>("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");

    public static async Task ResetAsync(ProcessCluster cluster) =>
        await cluster.ScalarAsync<object>("SELECT pg_stat_statements_reset()");

    /// <summary>Every statement the services ran since the reset, BEGIN, COMMIT and DISCARD ALL included (top-level statements only); the 10 most called.</summary>
    public static async Task<JsonObject> ReadAsync(ProcessCluster cluster, long jobs)
    {
        var services = new NpgsqlConnectionStringBuilder(cluster.DatabaseConnectionString).Username!;
        var rows = await Sql.RowsAsync(cluster, """
            SELECT s.calls, s.query, s.total_exec_time
            FROM pg_stat_statements s
            JOIN pg_roles r ON r.oid = s.userid
            WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND r.rolname = @services
            ORDER BY s.calls DESC
            """, ("services", services));
        var statements = rows.Select(r => (Calls: (long)r[0]!, Query: (string)r[1]!, Milliseconds: (double)r[2]!)).ToList();
        var total = statements.Sum(s => s.Calls);
        var control = statements.Where(s => IsSessionControl(s.Query)).Sum(s => s.Calls);
        double? PerJob(long calls) => jobs > 0 ? calls / (double)jobs : null;
        return new JsonObject
        {
            ["user"] = services,
            ["statements"] = total,
            ["perJob"] = PerJob(total),
            ["perJobWithoutSessionControl"] = PerJob(total - control),
            // Server time of the services' statements per job (execution only, planning excluded).
            ["execMsPerJob"] = jobs > 0 ? statements.Sum(s => s.Milliseconds) / jobs : null,
            ["top"] = Top(statements.Take(10), PerJob),
            // Where the server's time went: a plan that stopped being index-bound shows here first.
            ["topByTime"] = Top(statements.OrderByDescending(s => s.Milliseconds).Take(5), PerJob),
        };
    }

    private static JsonArray Top(IEnumerable<(long Calls, string Query, double Milliseconds)> statements, Func<long, double?> perJob) =>
        new([.. statements.Select(s => (JsonNode)new JsonObject
        {
            ["calls"] = s.Calls,
            ["perJob"] = perJob(s.Calls),
            ["meanMs"] = s.Milliseconds / Math.Max(1, s.Calls),
            ["totalMs"] = s.Milliseconds,
            ["query"] = Shorten(s.Query),
        })]);

    // Transaction control, and the DISCARD ALL with which Npgsql resets a pooled connection (sent with the next
    // statement, so no round trip of its own): statements the server runs, but no query of the engine's.
    private static bool IsSessionControl(string query) =>
        query.Trim().ToUpperInvariant() is "BEGIN" or "COMMIT" or "ROLLBACK" or "START TRANSACTION" or "DISCARD ALL"
        || query.TrimStart().StartsWith("BEGIN ", StringComparison.OrdinalIgnoreCase);

    private static string Shorten(string query)
    {
        var flat = string.Join(' ', query.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= 160 ? flat : flat[..157] + "...";
    }
}
