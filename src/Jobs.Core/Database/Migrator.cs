using Microsoft.Extensions.Logging;
using Npgsql;

namespace Jobs.Core.Database;

/// <summary>
/// Applies the embedded, numbered SQL files in order, each in its own transaction, under a session advisory lock so
/// that every process may call it at start-up and only one does the work.
/// </summary>
public sealed class Migrator(NpgsqlDataSource dataSource, ILogger<Migrator> logger)
{
    // Arbitrary but fixed: every Jobs process must agree on it.
    private const long AdvisoryLockKey = 0x4A6F62734D6967; // "JobsMig"

    private const string CreateTableSql = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version     text        PRIMARY KEY,
            applied_at  timestamptz NOT NULL DEFAULT now()
        )
        """;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, "SELECT pg_advisory_lock(@key)", cancellationToken, AdvisoryLockKey);
        try
        {
            await Execute(connection, CreateTableSql, cancellationToken);
            var applied = new HashSet<string>();
            await using (var command = new NpgsqlCommand("SELECT version FROM schema_migrations", connection))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied.Add(reader.GetString(0));
                }
            }

            foreach (var (version, sql) in LoadMigrations())
            {
                if (applied.Contains(version))
                {
                    continue;
                }

                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using (var command = new NpgsqlCommand(sql, connection, transaction))
                {
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version) VALUES (@version)", connection, transaction))
                {
                    record.Parameters.AddWithValue("version", version);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("Applied migration {Version}", version);
            }
        }
        finally
        {
            await Execute(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, AdvisoryLockKey);
        }
    }

    private static IEnumerable<(string Version, string Sql)> LoadMigrations()
    {
        var assembly = typeof(Migrator).Assembly;
        const string prefix = "Jobs.Core.Database.Migrations.";
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (name[prefix.Length..^".sql".Length], reader.ReadToEnd());
        }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, long? key = null)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (key is { } k)
        {
            command.Parameters.AddWithValue("key", k);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
