using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Workloads.Contacts;

/// <summary>
/// The one <see cref="IContactStore"/> implementation: its reads here, the contact jobs' writes in
/// <c>NpgsqlContactStore.Writes.cs</c> and <c>NpgsqlContactStore.Enrollments.cs</c>. Which contacts match a filter is
/// written once, in <see cref="ContactMatch.Sql"/>.
/// </summary>
public sealed partial class NpgsqlContactStore(NpgsqlDataSource dataSource) : IContactStore
{
    private const string Columns = """
        c.id, c.email, c.first_name, c.last_name, c.company, c.phone, c.opted_out, c.do_not_contact,
        ARRAY(SELECT t.tag FROM contact_tags t WHERE t.contact_id = c.id ORDER BY t.tag) AS tags,
        c.created_at, c.updated_at
        """;

    // Keyset pages (docs/api.md, "Endpoints"): by id, UUIDv7, for newest first; by email, unique per workspace, for
    // email order.
    private const string ListNewestSql = $"""
        SELECT {Columns}
        FROM contacts c
        WHERE {ContactMatch.Sql}
          AND (@after_id::uuid IS NULL OR c.id < @after_id)
        ORDER BY c.id DESC
        LIMIT @limit
        """;

    private const string ListByEmailSql = $"""
        SELECT {Columns}
        FROM contacts c
        WHERE {ContactMatch.Sql}
          AND (@after_email::text IS NULL OR c.email > @after_email)
        ORDER BY c.email
        LIMIT @limit
        """;

    // Both in one snapshot: the ids never outnumber the total they are read with.
    private const string CountSql = $"""
        SELECT count(*)
        FROM contacts c
        WHERE {ContactMatch.Sql}
        """;

    private const string IdsSql = $"""
        SELECT c.id
        FROM contacts c
        WHERE {ContactMatch.Sql}
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

    private const string SequenceNameGetSql = """
        SELECT s.name
        FROM sequences s
        WHERE s.workspace_id = @workspace_id
          AND s.id = @id
        """;

    private const string SettingsGetSql = """
        SELECT w.subscribe_batch_size, w.subscribe_batch_pause_ms, w.max_batch_items
        FROM workspaces w
        WHERE w.id = @workspace_id
        """;

    public async Task<IReadOnlyList<ContactRow>> ContactListAsync(
        Guid workspaceId, ContactMatch match, ContactSort sort, Guid? afterId, string? afterEmail, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sort == ContactSort.Newest ? ListNewestSql : ListByEmailSql);
        match.Bind(command.Parameters, workspaceId);
        if (sort == ContactSort.Newest)
        {
            command.Parameters.Add(ContactMatch.Nullable("after_id", NpgsqlDbType.Uuid, afterId));
        }
        else
        {
            command.Parameters.Add(ContactMatch.Nullable("after_email", NpgsqlDbType.Text, afterEmail));
        }

        command.Parameters.AddWithValue("limit", limit);
        var contacts = new List<ContactRow>(limit);
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

        return contacts;
    }

    public async Task<(long Total, IReadOnlyList<Guid> Ids)> ContactIdsAsync(Guid workspaceId, ContactMatch match, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        var count = new NpgsqlBatchCommand(CountSql);
        match.Bind(count.Parameters, workspaceId);
        batch.BatchCommands.Add(count);
        var ids = new NpgsqlBatchCommand(IdsSql);
        match.Bind(ids.Parameters, workspaceId);
        ids.Parameters.AddWithValue("limit", limit);
        batch.BatchCommands.Add(ids);

        var list = new List<Guid>(limit);
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

    public async Task<string?> SequenceNameGetAsync(Guid workspaceId, Guid sequenceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SequenceNameGetSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("id", sequenceId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<ContactSettings?> SettingsGetAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SettingsGetSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ContactSettings(reader.GetInt32(0), TimeSpan.FromMilliseconds(reader.GetInt32(1)), reader.GetInt32(2))
            : null;
    }

    public Task<ContactExportSnapshot> ExportSnapshotOpenAsync(Guid workspaceId, ContactMatch match, CancellationToken cancellationToken) =>
        ContactExportSnapshot.OpenAsync(dataSource, workspaceId, match, cancellationToken);

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
