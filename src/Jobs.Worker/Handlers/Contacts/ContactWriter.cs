using Jobs.Core.Engine;
using Jobs.Core.Workloads.Contacts;
using Jobs.Worker.Processing;
using Npgsql;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary>
/// The contact jobs' writes, one batch per transaction, each fenced by the attempt's lease (<see cref="FencedTransaction"/>)
/// and idempotent, because a job may run again after a crash (docs/design.md, "Delivery invariants"); the statements
/// are <see cref="IContactStore"/>'s. Every method returns null when the attempt no longer holds its lease; then it
/// wrote nothing.
/// </summary>
public sealed partial class ContactWriter(NpgsqlDataSource dataSource, IContactStore store)
{
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

        var found = await store.TagInsertManyAsync(transaction.Connection, transaction.Transaction, workspaceId, contactIds, tags, cancellationToken);
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

        var deleted = await store.ContactDeleteManyAsync(transaction.Connection, transaction.Transaction, workspaceId, lease.JobId, contactIds, cancellationToken);
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

        var counts = await store.ContactUpsertManyAsync(transaction.Connection, transaction.Transaction, workspaceId, lease.JobId, rows, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return counts;
    }
}
