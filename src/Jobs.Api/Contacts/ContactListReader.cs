using Npgsql;
using NpgsqlTypes;

namespace Jobs.Api.Contacts;

/// <summary>Reads the contacts workload's tables, always within the caller's workspace.</summary>
public sealed class ContactListReader(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        c.id, c.email, c.first_name, c.last_name, c.company, c.phone, c.opted_out, c.do_not_contact,
        ARRAY(SELECT t.tag FROM contact_tags t WHERE t.contact_id = c.id ORDER BY t.tag) AS tags,
        c.created_at, c.updated_at
        """;

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

    // Keyset pages (docs/api.md, "Endpoints"): by id, UUIDv7, for newest first; by email, unique per workspace, for
    // email order.
    private const string ListNewestSql = $"""
        SELECT {Columns}
        FROM contacts c
        WHERE {Filters}
          AND (@after_id::uuid IS NULL OR c.id < @after_id)
        ORDER BY c.id DESC
        LIMIT @limit
        """;

    private const string ListByEmailSql = $"""
        SELECT {Columns}
        FROM contacts c
        WHERE {Filters}
          AND (@after_email::text IS NULL OR c.email > @after_email)
        ORDER BY c.email
        LIMIT @limit
        """;

    // Both in one snapshot: the ids never outnumber the total they are read with.
    private const string CountSql = $"""
        SELECT count(*)
        FROM contacts c
        WHERE {Filters}
        """;

    private const string IdsSql = $"""
        SELECT c.id
        FROM contacts c
        WHERE {Filters}
        ORDER BY c.id DESC
        LIMIT @limit
        """;

    private const string SequenceListSql = """
        SELECT s.id, s.name, s.created_at,
               (SELECT count(*) FROM sequence_enrollments e WHERE e.sequence_id = s.id) AS enrolled
        FROM sequences s
        WHERE s.workspace_id = @workspace_id
        ORDER BY s.name, s.id
        """;

    /// <summary>One page; the next cursor is null on the last page.</summary>
    public async Task<(IReadOnlyList<ContactRow> Items, ContactCursor? Next)> ContactListAsync(Guid workspaceId, ContactFilter filter, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(filter.Sort == ContactSort.Newest ? ListNewestSql : ListByEmailSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.Add(Nullable("tag", NpgsqlDbType.Text, filter.Tag));
        command.Parameters.Add(Nullable("opted_out", NpgsqlDbType.Boolean, filter.OptedOut));
        command.Parameters.Add(Nullable("do_not_contact", NpgsqlDbType.Boolean, filter.DoNotContact));
        command.Parameters.Add(Nullable("search", NpgsqlDbType.Text, ContainsPattern(filter.Search)));
        if (filter.Sort == ContactSort.Newest)
        {
            command.Parameters.Add(Nullable("after_id", NpgsqlDbType.Uuid, filter.After?.Id));
        }
        else
        {
            command.Parameters.Add(Nullable("after_email", NpgsqlDbType.Text, filter.After?.Email));
        }

        // One extra row says whether there is a next page without a COUNT.
        command.Parameters.AddWithValue("limit", filter.Limit + 1);
        var contacts = new List<ContactRow>(filter.Limit + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            contacts.Add(new ContactRow(
                reader.GetGuid(0),
                reader.GetString(1),
                NullableString(reader, 2),
                NullableString(reader, 3),
                NullableString(reader, 4),
                NullableString(reader, 5),
                reader.GetBoolean(6),
                reader.GetBoolean(7),
                reader.GetFieldValue<string[]>(8),
                reader.GetFieldValue<DateTimeOffset>(9),
                reader.GetFieldValue<DateTimeOffset>(10)));
        }

        if (contacts.Count <= filter.Limit)
        {
            return (contacts, null);
        }

        contacts.RemoveAt(contacts.Count - 1);
        return (contacts, ContactCursor.After(contacts[^1], filter.Sort));
    }

    /// <summary>How many contacts match the filter, and the ids of the newest <see cref="ContactFilter.Limit"/> of them.</summary>
    public async Task<(long Total, IReadOnlyList<Guid> Ids)> ContactIdsAsync(Guid workspaceId, ContactFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(FilteredCommand(CountSql, workspaceId, filter));
        var ids = FilteredCommand(IdsSql, workspaceId, filter);
        ids.Parameters.AddWithValue("limit", filter.Limit);
        batch.BatchCommands.Add(ids);

        var list = new List<Guid>(filter.Limit);
        long total;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            total = reader.GetInt64(0);
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add(reader.GetGuid(0));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return (total, list);
    }

    /// <summary>The workspace's sequences by name.</summary>
    public async Task<IReadOnlyList<SequenceRow>> SequenceListAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SequenceListSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        var sequences = new List<SequenceRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sequences.Add(new SequenceRow(reader.GetGuid(0), reader.GetString(1), reader.GetInt64(3), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return sequences;
    }

    /// <summary>An ILIKE pattern that finds <paramref name="search"/> anywhere, its own wildcards taken literally.</summary>
    public static string? ContainsPattern(string? search) =>
        string.IsNullOrWhiteSpace(search)
            ? null
            : "%" + search.Trim().Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";

    private static NpgsqlBatchCommand FilteredCommand(string sql, Guid workspaceId, ContactFilter filter)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.Add(Nullable("tag", NpgsqlDbType.Text, filter.Tag));
        command.Parameters.Add(Nullable("opted_out", NpgsqlDbType.Boolean, filter.OptedOut));
        command.Parameters.Add(Nullable("do_not_contact", NpgsqlDbType.Boolean, filter.DoNotContact));
        command.Parameters.Add(Nullable("search", NpgsqlDbType.Text, ContainsPattern(filter.Search)));
        return command;
    }

    private static NpgsqlParameter Nullable(string name, NpgsqlDbType type, object? value) =>
        new(name, type) { Value = value ?? DBNull.Value };

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
