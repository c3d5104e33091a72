using Jobs.Core.Jobs;
using Jobs.Worker.Processing;
using Npgsql;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary><see cref="ContactWriter"/>'s enrollments of contacts in a sequence (<c>contacts.subscribe</c>).</summary>
public sealed partial class ContactWriter
{
    // The first reason that applies wins (BlockReasons): not found, already enrolled, opted out, do not contact.
    private const string EnrollmentCandidatesSql = """
        SELECT ids.id,
               c.id IS NOT NULL AS found,
               coalesce(c.opted_out, false) AS opted_out,
               coalesce(c.do_not_contact, false) AS do_not_contact,
               e.contact_id IS NOT NULL AS enrolled,
               e.job_id
        FROM unnest(@ids::uuid[]) WITH ORDINALITY AS ids (id, n)
        LEFT JOIN contacts c ON c.id = ids.id AND c.workspace_id = @workspace_id
        LEFT JOIN sequence_enrollments e ON e.sequence_id = @sequence_id AND e.contact_id = c.id
        ORDER BY ids.n
        """;

    // The primary key (sequence, contact) makes a second enrollment impossible, whoever tries it.
    private const string EnrollmentInsertSql = """
        INSERT INTO sequence_enrollments (sequence_id, contact_id, workspace_id, job_id)
        SELECT @sequence_id, ids.id, @workspace_id, @job_id
        FROM unnest(@ids::uuid[]) AS ids (id)
        ON CONFLICT (sequence_id, contact_id) DO NOTHING
        RETURNING contact_id
        """;

    // For candidates another transaction enrolled between our read and our insert.
    private const string EnrollmentJobsSql = """
        SELECT e.contact_id, e.job_id
        FROM sequence_enrollments e
        WHERE e.sequence_id = @sequence_id
          AND e.contact_id = ANY(@ids)
        """;

    // KEY SHARE keeps a concurrent contacts.delete from removing a contact between this read and the insert.

    /// <summary>
    /// Subscribes a batch of contacts to a sequence. A contact that an earlier attempt of the same job enrolled counts
    /// as succeeded, not as already enrolled. Throws the <see cref="PostgresException"/> of a statement that failed.
    /// </summary>
    /// <returns>One outcome per contact, in their order.</returns>
    public async Task<IReadOnlyList<ContactOutcome>?> EnrollmentInsertManyAsync(
        JobLease lease, Guid workspaceId, Guid sequenceId, IReadOnlyList<Guid> contactIds, CancellationToken cancellationToken)
    {
        await using var transaction = await FencedTransaction.BeginAsync(dataSource, lease, cancellationToken);
        if (transaction is null)
        {
            return null;
        }

        var outcomes = new Dictionary<Guid, ContactOutcome>();
        var candidates = new List<Guid>();
        await using (var command = transaction.CreateCommand(EnrollmentCandidatesSql))
        {
            command.Parameters.AddWithValue("ids", contactIds.ToArray());
            command.Parameters.AddWithValue("workspace_id", workspaceId);
            command.Parameters.AddWithValue("sequence_id", sequenceId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetGuid(0);
                var enrolledBy = reader.IsDBNull(5) ? (Guid?)null : reader.GetGuid(5);
                ContactOutcome? outcome = (Found: reader.GetBoolean(1), OptedOut: reader.GetBoolean(2), DoNotContact: reader.GetBoolean(3), Enrolled: reader.GetBoolean(4)) switch
                {
                    { Found: false } => ContactOutcome.Block(id, BlockReasons.NotFound),
                    { Enrolled: true } when enrolledBy == lease.JobId => ContactOutcome.Success(id),
                    { Enrolled: true } => ContactOutcome.Block(id, BlockReasons.AlreadyEnrolled),
                    { OptedOut: true } => ContactOutcome.Block(id, BlockReasons.OptedOut),
                    { DoNotContact: true } => ContactOutcome.Block(id, BlockReasons.DoNotContact),
                    _ => null,
                };
                if (outcome is null)
                {
                    candidates.Add(id);
                }
                else
                {
                    outcomes[id] = outcome;
                }
            }
        }

        if (candidates.Count > 0)
        {
            var inserted = new HashSet<Guid>();
            await using (var command = transaction.CreateCommand(EnrollmentInsertSql))
            {
                command.Parameters.AddWithValue("ids", candidates.ToArray());
                command.Parameters.AddWithValue("workspace_id", workspaceId);
                command.Parameters.AddWithValue("sequence_id", sequenceId);
                command.Parameters.AddWithValue("job_id", lease.JobId);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    inserted.Add(reader.GetGuid(0));
                }
            }

            foreach (var id in inserted)
            {
                outcomes[id] = ContactOutcome.Success(id);
            }

            var raced = candidates.Where(id => !inserted.Contains(id)).ToArray();
            if (raced.Length > 0)
            {
                await using var command = transaction.CreateCommand(EnrollmentJobsSql);
                command.Parameters.AddWithValue("sequence_id", sequenceId);
                command.Parameters.AddWithValue("ids", raced);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var id = reader.GetGuid(0);
                    // A stale attempt of this very job may have won the race: its enrollment is ours.
                    outcomes[id] = !reader.IsDBNull(1) && reader.GetGuid(1) == lease.JobId
                        ? ContactOutcome.Success(id)
                        : ContactOutcome.Block(id, BlockReasons.AlreadyEnrolled);
                }
            }
        }

        await transaction.CommitAsync(cancellationToken);
        // A candidate with neither outcome lost its contact to a concurrent delete between the read and the insert.
        return contactIds.Select(id => outcomes.GetValueOrDefault(id) ?? ContactOutcome.Block(id, BlockReasons.NotFound)).ToList();
    }
}
