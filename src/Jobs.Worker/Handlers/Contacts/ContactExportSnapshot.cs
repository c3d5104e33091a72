using System.Data;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary>
/// The workspace's contacts as one repeatable-read transaction sees them, so that an export's count and its pages
/// agree however the contacts change meanwhile. Pages are read by keyset (email order, unique per workspace), never
/// with OFFSET, so every page costs the same. Holds a connection until disposed.
/// </summary>
public sealed class ContactExportSnapshot : IAsyncDisposable
{
    private const string Filters = """
        c.workspace_id = @workspace_id
          AND (@tag::text IS NULL OR EXISTS (
                  SELECT 1
                  FROM contact_tags t
                  WHERE t.contact_id = c.id
                    AND t.tag = @tag))
          AND (@opted_out::boolean IS NULL OR c.opted_out = @opted_out)
          AND (@do_not_contact::boolean IS NULL OR c.do_not_contact = @do_not_contact)
          AND (@search::text IS NULL
               OR c.email ILIKE @search
               OR c.first_name ILIKE @search
               OR c.last_name ILIKE @search
               OR concat_ws(' ', c.first_name, c.last_name) ILIKE @search
               OR c.company ILIKE @search)
        """;

    private const string CountSql = $"""
        SELECT count(*)
        FROM contacts c
        WHERE {Filters}
        """;

    private const string PageSql = $"""
        SELECT c.id, c.email, c.first_name, c.last_name, c.company, c.phone, c.opted_out, c.do_not_contact,
               ARRAY(SELECT t.tag FROM contact_tags t WHERE t.contact_id = c.id ORDER BY t.tag) AS tags,
               c.created_at
        FROM contacts c
        WHERE {Filters}
          AND (@after::text IS NULL OR c.email > @after)
        ORDER BY c.email
        LIMIT @limit
        """;

    private readonly NpgsqlConnection connection;
    private readonly NpgsqlTransaction transaction;
    private readonly Guid workspaceId;
    private readonly ContactExportFilters filters;

    private ContactExportSnapshot(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid workspaceId, ContactExportFilters filters)
    {
        this.connection = connection;
        this.transaction = transaction;
        this.workspaceId = workspaceId;
        this.filters = filters;
    }

    public static async Task<ContactExportSnapshot> OpenAsync(NpgsqlDataSource dataSource, Guid workspaceId, ContactExportFilters filters, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            return new ContactExportSnapshot(connection, transaction, workspaceId, filters);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(CountSql, connection, transaction);
        Bind(command);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The next <paramref name="limit"/> contacts after the email <paramref name="after"/> (null: from the start).</summary>
    public async Task<IReadOnlyList<ExportedContact>> PageAsync(string? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(PageSql, connection, transaction);
        Bind(command);
        command.Parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.Text) { Value = (object?)after ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", limit);
        var page = new List<ExportedContact>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(new ExportedContact(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetBoolean(6),
                reader.GetBoolean(7),
                reader.GetFieldValue<string[]>(8),
                reader.GetFieldValue<DateTimeOffset>(9)));
        }

        return page;
    }

    private void Bind(NpgsqlCommand command)
    {
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.Add(new NpgsqlParameter("tag", NpgsqlDbType.Text) { Value = (object?)ContactTags.Normalize(filters.Tag) ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("opted_out", NpgsqlDbType.Boolean) { Value = (object?)filters.OptedOut ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("do_not_contact", NpgsqlDbType.Boolean) { Value = (object?)filters.DoNotContact ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("search", NpgsqlDbType.Text) { Value = (object?)ContainsPattern(filters.Search) ?? DBNull.Value });
    }

    /// <summary>An ILIKE pattern that finds <paramref name="search"/> anywhere, its own wildcards taken literally.</summary>
    public static string? ContainsPattern(string? search) =>
        string.IsNullOrWhiteSpace(search)
            ? null
            : "%" + search.Trim().Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
