using System.Data.Common;
using Npgsql;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What the Jobs services ask of Aspire's client integrations beyond their defaults, passed to them as callbacks:
/// <code>
/// builder.AddNpgsqlDataSource("jobsdb", configureDataSourceBuilder: ClientSettings.NpgsqlDataSource);
/// builder.AddRedisClient("redis", configureOptions: ClientSettings.Redis);
/// </code>
/// Aspire.Npgsql and Aspire.StackExchange.Redis bring the rest: the connection from <c>ConnectionStrings:{name}</c>,
/// readiness checks, traces and metrics.
/// </summary>
public static class ClientSettings
{
    /// <summary>
    /// Payloads, results and metrics are jsonb of any shape. Auto-prepare: the hot statements (claim, progress,
    /// outcomes, fills) are long CTEs run thousands of times a second; prepared once per connection they skip parse
    /// and plan. A pooled connection is handed back as it is: the services keep no session state (no SET, LISTEN or
    /// session lock outlives its use; the migrator unlocks its own), so the reset Npgsql would run first on the next
    /// use (DISCARD ALL on a connection without prepared statements) is waste. A connection string that sets either
    /// keeps its value.
    /// </summary>
    public static void NpgsqlDataSource(NpgsqlDataSourceBuilder dataSource)
    {
        dataSource.EnableDynamicJson();
        var connection = dataSource.ConnectionStringBuilder;
        // Npgsql's builder answers ContainsKey for every keyword it knows, set or not: ask a plain builder what the
        // connection string itself says.
        var given = new DbConnectionStringBuilder { ConnectionString = connection.ConnectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            connection.MaxAutoPrepare = 64;
            connection.AutoPrepareMinUsages = 2;
        }

        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            connection.NoResetOnClose = true;
        }
    }

    public static void Redis(ConfigurationOptions options)
    {
        // Services must start (and accept jobs) while Redis is down: the multiplexer keeps reconnecting.
        options.AbortOnConnectFail = false;
        // Fail at once while disconnected instead of queueing for seconds: Jobs treats Redis as best effort and
        // falls back to PostgreSQL (a submit still answers 202 at once; maintenance hints later).
        options.BacklogPolicy = BacklogPolicy.FailFast;
    }
}
