using System.Data;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Workloads.Contacts;

/// <summary>
/// The workspace's contacts as one repeatable-read transaction sees them, so that an export's count and its pages
/// agree however the contacts change meanwhile. Pages are read by keyset (email order, unique per workspace), never
/// with OFFSET, so every page costs the same. Holds a connection until disposed.
/// </summary>
public sealed class ContactExportSnapshot : IAsyncDisposable
{
    private const string CountSql = $"""
        SELECT count(*)
        FROM contacts c
        WHERE {ContactMatch.Sql}
        """;

    private const string PageSql = $"""
        SELECT c.id, c.email, c.first_name, c.last_name, c.company, c.phone, c.opted_out, c.do_not_contact,
               ARRAY(SELECT t.tag FROM contact_tags t WHERE t.contact_id = c.id ORDER BY t.tag) AS tags,
               c.created_at
        FROM contacts c
        WHERE {ContactMatch.Sql}
          AND (@after::text IS NULL OR c.email > @after)
        ORDER BY c.email
        LIMIT @limit
        """;

    private readonly NpgsqlConnection connection;
    private readonly NpgsqlTransaction transaction;
    private readonly Guid workspaceId;
    private readonly ContactMatch match;

    private ContactExportSnapshot(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid workspaceId, ContactMatch match)
    {
        this.connection = connection;
        this.transaction = transaction;
        this.workspaceId = workspaceId;
        this.match = match;
    }

    internal static async Task<ContactExportSnapshot> OpenAsync(NpgsqlDataSource dataSource, Guid workspaceId, ContactMatch match, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            return new ContactExportSnapshot(connection, transaction, workspaceId, match);
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
        match.Bind(command.Parameters, workspaceId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The next <paramref name="limit"/> contacts after the email <paramref name="after"/> (null: from the start).</summary>
    public async Task<IReadOnlyList<ExportedContact>> PageAsync(string? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(PageSql, connection, transaction);
        match.Bind(command.Parameters, workspaceId);
        command.Parameters.Add(ContactMatch.Nullable("after", NpgsqlDbType.Text, after));
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

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
