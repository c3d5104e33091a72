using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Workloads.Contacts;

/// <summary>
/// <see cref="NpgsqlContactStore"/>'s writes of tags, deletions and imports, each in the caller's (fenced) transaction
/// and idempotent (docs/design.md, "Delivery invariants"): tags are inserted with ON CONFLICT DO NOTHING, deletions are
/// journalled, imports upsert by email.
/// </summary>
public sealed partial class NpgsqlContactStore
{
    // KEY SHARE keeps a concurrent contacts.delete from removing a contact between this read and the insert.
    private const string ContactsFoundSql = """
        SELECT c.id
        FROM contacts c
        WHERE c.workspace_id = @workspace_id
          AND c.id = ANY(@ids)
        FOR KEY SHARE
        """;

    private const string TagInsertSql = """
        INSERT INTO contact_tags (contact_id, tag, workspace_id)
        SELECT ids.id, tags.tag, @workspace_id
        FROM unnest(@ids::uuid[]) AS ids (id)
        CROSS JOIN unnest(@tags::text[]) AS tags (tag)
        ON CONFLICT (contact_id, tag) DO NOTHING
        """;

    private const string ContactDeleteSql = """
        WITH deleted AS (
            DELETE FROM contacts c
            WHERE c.workspace_id = @workspace_id
              AND c.id = ANY(@ids)
            RETURNING c.id, c.email
        )
        INSERT INTO contact_deletions (job_id, contact_id, workspace_id, email)
        SELECT @job_id, d.id, @workspace_id, d.email
        FROM deleted d
        ON CONFLICT (job_id, contact_id) DO NOTHING
        """;

    // After the delete, in the same transaction: what this job deleted, in this attempt or an earlier one.
    private const string DeletedByJobSql = """
        SELECT d.contact_id
        FROM contact_deletions d
        WHERE d.job_id = @job_id
          AND d.contact_id = ANY(@ids)
        """;

    private static readonly Dictionary<(bool, bool), string> UpsertStatements = new()
    {
        [(false, false)] = BuildUpsertSql(false, false),
        [(true, false)] = BuildUpsertSql(true, false),
        [(false, true)] = BuildUpsertSql(false, true),
        [(true, true)] = BuildUpsertSql(true, true),
    };

    // created_by_job_id is kept on update, so "created by this job" tells a row an earlier attempt inserted.
    private static string BuildUpsertSql(bool setsOptedOut, bool setsDoNotContact) => $"""
        INSERT INTO contacts (id, workspace_id, email, first_name, last_name, company, phone, opted_out, do_not_contact, created_by_job_id)
        SELECT r.id, @workspace_id, r.email, r.first_name, r.last_name, r.company, r.phone, r.opted_out, r.do_not_contact, @job_id
        FROM unnest(@ids::uuid[], @emails::text[], @first_names::text[], @last_names::text[], @companies::text[],
                    @phones::text[], @opted_out::boolean[], @do_not_contact::boolean[])
             AS r (id, email, first_name, last_name, company, phone, opted_out, do_not_contact)
        ON CONFLICT (workspace_id, email) DO UPDATE
        SET first_name = coalesce(excluded.first_name, contacts.first_name),
            last_name = coalesce(excluded.last_name, contacts.last_name),
            company = coalesce(excluded.company, contacts.company),
            phone = coalesce(excluded.phone, contacts.phone),
            {(setsOptedOut ? "opted_out = excluded.opted_out," : "")}
            {(setsDoNotContact ? "do_not_contact = excluded.do_not_contact," : "")}
            updated_at = now()
        RETURNING contacts.created_by_job_id IS NOT DISTINCT FROM @job_id
        """;

    public async Task<IReadOnlyList<Guid>> TagInsertManyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid workspaceId, IReadOnlyList<Guid> contactIds,
        IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var found = new List<Guid>();
        await using (var command = new NpgsqlCommand(ContactsFoundSql, connection, transaction))
        {
            command.Parameters.AddWithValue("workspace_id", workspaceId);
            command.Parameters.AddWithValue("ids", contactIds.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                found.Add(reader.GetGuid(0));
            }
        }

        if (found.Count > 0)
        {
            await using var command = new NpgsqlCommand(TagInsertSql, connection, transaction);
            command.Parameters.AddWithValue("ids", found.ToArray());
            command.Parameters.AddWithValue("tags", tags.ToArray());
            command.Parameters.AddWithValue("workspace_id", workspaceId);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return found;
    }

    public async Task<IReadOnlyList<Guid>> ContactDeleteManyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid workspaceId, Guid jobId, IReadOnlyList<Guid> contactIds,
        CancellationToken cancellationToken)
    {
        var ids = contactIds.ToArray();
        await using (var command = new NpgsqlCommand(ContactDeleteSql, connection, transaction))
        {
            command.Parameters.AddWithValue("workspace_id", workspaceId);
            command.Parameters.AddWithValue("ids", ids);
            command.Parameters.AddWithValue("job_id", jobId);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var deleted = new List<Guid>();
        await using (var command = new NpgsqlCommand(DeletedByJobSql, connection, transaction))
        {
            command.Parameters.AddWithValue("job_id", jobId);
            command.Parameters.AddWithValue("ids", ids);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                deleted.Add(reader.GetGuid(0));
            }
        }

        return deleted;
    }

    public async Task<(int Imported, int Updated)> ContactUpsertManyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid workspaceId, Guid jobId, IReadOnlyList<ContactImportRow> rows,
        CancellationToken cancellationToken)
    {
        int imported = 0, updated = 0;
        // A boolean column cannot carry "not given" into ON CONFLICT's excluded row (it is NOT NULL), so the rows are
        // upserted in up to four groups, by which flags they set; each group's statement updates only those flags.
        foreach (var group in rows.GroupBy(r => (r.OptedOut.HasValue, r.DoNotContact.HasValue)))
        {
            await using var command = new NpgsqlCommand(UpsertStatements[group.Key], connection, transaction);
            var batch = group.ToList();
            command.Parameters.AddWithValue("workspace_id", workspaceId);
            command.Parameters.AddWithValue("job_id", jobId);
            command.Parameters.AddWithValue("ids", batch.Select(_ => Guid.CreateVersion7()).ToArray());
            command.Parameters.AddWithValue("emails", batch.Select(r => r.Email).ToArray());
            command.Parameters.Add(TextArray("first_names", batch.Select(r => r.FirstName)));
            command.Parameters.Add(TextArray("last_names", batch.Select(r => r.LastName)));
            command.Parameters.Add(TextArray("companies", batch.Select(r => r.Company)));
            command.Parameters.Add(TextArray("phones", batch.Select(r => r.Phone)));
            command.Parameters.AddWithValue("opted_out", batch.Select(r => r.OptedOut ?? false).ToArray());
            command.Parameters.AddWithValue("do_not_contact", batch.Select(r => r.DoNotContact ?? false).ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.GetBoolean(0))
                {
                    imported++;
                }
                else
                {
                    updated++;
                }
            }
        }

        return (imported, updated);
    }

    private static NpgsqlParameter TextArray(string name, IEnumerable<string?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() };
}
