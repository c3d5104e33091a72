using Jobs.Testing.Processes;
using Npgsql;

namespace Jobs.Compare;

/// <summary>The harness's own multi-row queries, as the cluster's harness user (never counted as the services' statements).</summary>
internal static class Sql
{
    public static async Task<List<object?[]>> RowsAsync(ProcessCluster cluster, string sql, int timeoutSeconds, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(cluster.HarnessConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = timeoutSeconds };
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = new List<object?[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public static Task<List<object?[]>> RowsAsync(ProcessCluster cluster, string sql, params (string Name, object Value)[] parameters) =>
        RowsAsync(cluster, sql, 30, parameters);
}
