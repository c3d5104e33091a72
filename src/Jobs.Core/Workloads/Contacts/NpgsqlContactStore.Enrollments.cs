using Npgsql;

namespace Jobs.Core.Workloads.Contacts;

/// <summary><see cref="NpgsqlContactStore"/>'s enrollments of contacts in a sequence, in the caller's (fenced) transaction.</summary>
public sealed partial class NpgsqlContactStore
{
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

    // For candidates another transaction enrolled between the read and the insert.
    private const string EnrollmentJobsSql = """
        SELECT e.contact_id, e.job_id
        FROM sequence_enrollments e
        WHERE e.sequence_id = @sequence_id
          AND e.contact_id = ANY(@ids)
        """;

    public async Task<IReadOnlyList<EnrollmentCandidate>> EnrollmentCandidateListAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid workspaceId, Guid sequenceId, IReadOnlyList<Guid> contactIds,
        CancellationToken cancellationToken)
    {
        var candidates = new List<EnrollmentCandidate>(contactIds.Count);
        await using var command = new NpgsqlCommand(EnrollmentCandidatesSql, connection, transaction);
        command.Parameters.AddWithValue("ids", contactIds.ToArray());
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("sequence_id", sequenceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            candidates.Add(new EnrollmentCandidate(
                reader.GetGuid(0),
                reader.GetBoolean(1),
                reader.GetBoolean(2),
                reader.GetBoolean(3),
                reader.GetBoolean(4),
                reader.IsDBNull(5) ? null : reader.GetGuid(5)));
        }

        return candidates;
    }

    public async Task<IReadOnlySet<Guid>> EnrollmentInsertManyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid workspaceId, Guid sequenceId, Guid jobId, IReadOnlyList<Guid> contactIds,
        CancellationToken cancellationToken)
    {
        var inserted = new HashSet<Guid>();
        await using var command = new NpgsqlCommand(EnrollmentInsertSql, connection, transaction);
        command.Parameters.AddWithValue("ids", contactIds.ToArray());
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("sequence_id", sequenceId);
        command.Parameters.AddWithValue("job_id", jobId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            inserted.Add(reader.GetGuid(0));
        }

        return inserted;
    }

    public async Task<IReadOnlyList<(Guid ContactId, Guid? JobId)>> EnrollmentJobListAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid sequenceId, IReadOnlyList<Guid> contactIds,
        CancellationToken cancellationToken)
    {
        var jobs = new List<(Guid, Guid?)>();
        await using var command = new NpgsqlCommand(EnrollmentJobsSql, connection, transaction);
        command.Parameters.AddWithValue("sequence_id", sequenceId);
        command.Parameters.AddWithValue("ids", contactIds.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add((reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1)));
        }

        return jobs;
    }
}
