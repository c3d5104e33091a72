using System.Data.Common;
using Npgsql;

namespace Jobs.Core.Hosting;

/// <summary>
/// What the API and the workers ask of Aspire's PostgreSQL client integration (Aspire.Npgsql) beyond its defaults,
/// passed to it as a callback:
/// <code>
/// builder.AddNpgsqlDataSource("jobsdb", configureDataSourceBuilder: NpgsqlClientSettings.DataSource);
/// </code>
/// It lives beside the stores rather than in Jobs.ServiceDefaults so that the web, which never touches the database,
/// does not reference Npgsql (docs/design.md, "Topology").
/// </summary>
public static class NpgsqlClientSettings
{
    /// <summary>
    /// Payloads, results and metrics are jsonb of any shape. Auto-prepare: the hot statements (claim, progress,
    /// outcomes, fills) are long CTEs run thousands of times a second; prepared once per connection they skip parse
    /// and plan. A pooled connection is handed back as it is: the services keep no session state (no SET, LISTEN or
    /// session lock outlives its use; the migrator unlocks its own), so the reset Npgsql would run first on the next
    /// use (DISCARD ALL on a connection without prepared statements) is waste. A connection string that sets either
    /// keeps its value.
    /// </summary>
    public static void DataSource(NpgsqlDataSourceBuilder dataSource)
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
}
