using Npgsql;

namespace Jobs.Core.Workloads.Contacts;

/// <summary>
/// The contacts workload's tables (contacts, tags, sequences, enrollments, deletions), always within one workspace.
/// Reads open their own connection. Writes run in the caller's transaction, which the contact jobs fence by their
/// attempt's lease (docs/design.md, "Leases and fencing"), and are idempotent, because a job may run again after a
/// crash (docs/design.md, "Delivery invariants").
/// </summary>
public interface IContactStore
{
    /// <summary>
    /// Up to <paramref name="limit"/> matching contacts: newest first after the id <paramref name="afterId"/>, or by
    /// email after <paramref name="afterEmail"/> (null: from the start).
    /// </summary>
    Task<IReadOnlyList<ContactRow>> ContactListAsync(
        Guid workspaceId, ContactMatch match, ContactSort sort, Guid? afterId, string? afterEmail, int limit, CancellationToken cancellationToken);

    /// <summary>How many contacts match, and the ids of the newest <paramref name="limit"/> of them, read in one snapshot.</summary>
    Task<(long Total, IReadOnlyList<Guid> Ids)> ContactIdsAsync(Guid workspaceId, ContactMatch match, int limit, CancellationToken cancellationToken);

    /// <summary>The workspace's sequences by name.</summary>
    Task<IReadOnlyList<SequenceRow>> SequenceListAsync(Guid workspaceId, CancellationToken cancellationToken);

    /// <summary>The sequence's name, or null when the workspace has no such sequence (another workspace's included).</summary>
    Task<string?> SequenceNameGetAsync(Guid workspaceId, Guid sequenceId, CancellationToken cancellationToken);

    /// <summary>The workspace's settings for the contact jobs, or null when the workspace does not exist.</summary>
    Task<ContactSettings?> SettingsGetAsync(Guid workspaceId, CancellationToken cancellationToken);

    /// <summary>A snapshot of the matching contacts for an export; dispose it to end its transaction.</summary>
    Task<ContactExportSnapshot> ExportSnapshotOpenAsync(Guid workspaceId, ContactMatch match, CancellationToken cancellationToken);

    /// <summary>Tags the batch's contacts of the workspace with every tag (already normalized), in the given transaction.</summary>
    /// <returns>The contacts found (and so tagged); the others do not exist in the workspace.</returns>
    Task<IReadOnlyList<Guid>> TagInsertManyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid workspaceId, IReadOnlyList<Guid> contactIds,
        IReadOnlyList<string> tags, CancellationToken cancellationToken);

    /// <summary>Deletes the batch's contacts of the workspace, journalled under <paramref name="jobId"/>, in the given transaction.</summary>
    /// <returns>The contacts this job deleted, in this attempt or an earlier one; the others do not exist in the workspace.</returns>
    Task<IReadOnlyList<Guid>> ContactDeleteManyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid workspaceId, Guid jobId, IReadOnlyList<Guid> contactIds,
        CancellationToken cancellationToken);

    /// <summary>
    /// Upserts valid import rows by email (unique within the batch), in the given transaction. A cell left empty keeps
    /// the existing value: re-importing a file without an opted_out column never opts anyone back in.
    /// </summary>
    /// <returns>How many rows created a contact (in this attempt or an earlier one of the same job) and how many updated one.</returns>
    Task<(int Imported, int Updated)> ContactUpsertManyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid workspaceId, Guid jobId, IReadOnlyList<ContactImportRow> rows,
        CancellationToken cancellationToken);

    /// <summary>The contacts asked to enroll in the sequence, in their order, as the workspace has them.</summary>
    Task<IReadOnlyList<EnrollmentCandidate>> EnrollmentCandidateListAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid workspaceId, Guid sequenceId, IReadOnlyList<Guid> contactIds,
        CancellationToken cancellationToken);

    /// <summary>Enrolls the contacts in the sequence under <paramref name="jobId"/> unless enrolled already.</summary>
    /// <returns>The contacts this statement enrolled.</returns>
    Task<IReadOnlySet<Guid>> EnrollmentInsertManyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid workspaceId, Guid sequenceId, Guid jobId, IReadOnlyList<Guid> contactIds,
        CancellationToken cancellationToken);

    /// <summary>Which job enrolled each of these contacts in the sequence (null for an enrollment no job wrote).</summary>
    Task<IReadOnlyList<(Guid ContactId, Guid? JobId)>> EnrollmentJobListAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid sequenceId, IReadOnlyList<Guid> contactIds,
        CancellationToken cancellationToken);

    /// <summary>
    /// Seeds demo data, idempotently and in one round trip: the named sequences and <paramref name="count"/> contacts;
    /// what exists is left as it is, and only contacts that were missing are tagged and enrolled.
    /// </summary>
    Task DemoSeedAsync(Guid workspaceId, IReadOnlyList<string> sequenceNames, int count, CancellationToken cancellationToken);
}
