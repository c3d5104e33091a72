using Jobs.Core.Jobs;
using Jobs.Worker.Processing;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary>
/// The contact jobs' writes, one batch per transaction, each fenced by the attempt's lease (<see cref="FencedTransaction"/>)
/// and idempotent, because a job may run again after a crash (docs/design.md, "Delivery invariants"): enrollments and
/// tags are inserted with ON CONFLICT DO NOTHING, deletions are journalled, imports upsert by email. Every method
/// returns null when the attempt no longer holds its lease; then it wrote nothing.
/// </summary>
public sealed partial class ContactWriter(NpgsqlDataSource dataSource)
{
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

    /// <summary>Tags the batch's contacts of the workspace with every tag (already normalized).</summary>
    /// <returns>The contacts found (and so tagged); the others do not exist in the workspace.</returns>
    public async Task<IReadOnlyList<Guid>?> TagInsertManyAsync(
        JobLease lease, Guid workspaceId, IReadOnlyList<Guid> contactIds, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        await using var transaction = await FencedTransaction.BeginAsync(dataSource, lease, cancellationToken);
        if (transaction is null)
        {
            return null;
        }

        var found = new List<Guid>();
        await using (var command = transaction.CreateCommand(ContactsFoundSql))
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
            await using var command = transaction.CreateCommand(TagInsertSql);
            command.Parameters.AddWithValue("ids", found.ToArray());
            command.Parameters.AddWithValue("tags", tags.ToArray());
            command.Parameters.AddWithValue("workspace_id", workspaceId);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return found;
    }

    /// <summary>Deletes the batch's contacts of the workspace; their tags and enrollments go with them.</summary>
    /// <returns>The contacts this job deleted, in this attempt or an earlier one; the others do not exist in the workspace.</returns>
    public async Task<IReadOnlyList<Guid>?> ContactDeleteManyAsync(
        JobLease lease, Guid workspaceId, IReadOnlyList<Guid> contactIds, CancellationToken cancellationToken)
    {
        await using var transaction = await FencedTransaction.BeginAsync(dataSource, lease, cancellationToken);
        if (transaction is null)
        {
            return null;
        }

        var ids = contactIds.ToArray();
        await using (var command = transaction.CreateCommand(ContactDeleteSql))
        {
            command.Parameters.AddWithValue("workspace_id", workspaceId);
            command.Parameters.AddWithValue("ids", ids);
            command.Parameters.AddWithValue("job_id", lease.JobId);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var deleted = new List<Guid>();
        await using (var command = transaction.CreateCommand(DeletedByJobSql))
        {
            command.Parameters.AddWithValue("job_id", lease.JobId);
            command.Parameters.AddWithValue("ids", ids);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                deleted.Add(reader.GetGuid(0));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    /// <summary>
    /// Upserts a batch of valid import rows by email (unique within the batch). A cell left empty keeps the existing
    /// value: re-importing a file without an opted_out column never opts anyone back in.
    /// </summary>
    /// <returns>How many rows created a contact (in this attempt or an earlier one of the same job) and how many updated one.</returns>
    public async Task<(int Imported, int Updated)?> ContactUpsertManyAsync(
        JobLease lease, Guid workspaceId, IReadOnlyList<ContactImportRow> rows, CancellationToken cancellationToken)
    {
        await using var transaction = await FencedTransaction.BeginAsync(dataSource, lease, cancellationToken);
        if (transaction is null)
        {
            return null;
        }

        int imported = 0, updated = 0;
        // A boolean column cannot carry "not given" into ON CONFLICT's excluded row (it is NOT NULL), so the rows are
        // upserted in up to four groups, by which flags they set; each group's statement updates only those flags.
        foreach (var group in rows.GroupBy(r => (r.OptedOut.HasValue, r.DoNotContact.HasValue)))
        {
            await using var command = transaction.CreateCommand(UpsertStatements[group.Key]);
            var batch = group.ToList();
            command.Parameters.AddWithValue("workspace_id", workspaceId);
            command.Parameters.AddWithValue("job_id", lease.JobId);
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

        await transaction.CommitAsync(cancellationToken);
        return (imported, updated);
    }

    private static NpgsqlParameter TextArray(string name, IEnumerable<string?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() };
}
