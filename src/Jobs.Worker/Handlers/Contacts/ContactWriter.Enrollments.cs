using Jobs.Core.Engine;
using Jobs.Core.Workloads.Contacts;
using Jobs.Worker.Processing;
using Npgsql;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary><see cref="ContactWriter"/>'s enrollments of contacts in a sequence (<c>contacts.subscribe</c>).</summary>
public sealed partial class ContactWriter
{
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
        // The first reason that applies wins (BlockReasons): not found, already enrolled, opted out, do not contact.
        foreach (var candidate in await store.EnrollmentCandidateListAsync(
                     transaction.Connection, transaction.Transaction, workspaceId, sequenceId, contactIds, cancellationToken))
        {
            var id = candidate.Id;
            ContactOutcome? outcome = candidate switch
            {
                { Found: false } => ContactOutcome.Block(id, BlockReasons.NotFound),
                { Enrolled: true } when candidate.EnrolledByJobId == lease.JobId => ContactOutcome.Success(id),
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

        if (candidates.Count > 0)
        {
            var inserted = await store.EnrollmentInsertManyAsync(
                transaction.Connection, transaction.Transaction, workspaceId, sequenceId, lease.JobId, candidates, cancellationToken);
            foreach (var id in inserted)
            {
                outcomes[id] = ContactOutcome.Success(id);
            }

            // Candidates another transaction enrolled between the read and the insert.
            var raced = candidates.Where(id => !inserted.Contains(id)).ToArray();
            if (raced.Length > 0)
            {
                foreach (var (id, jobId) in await store.EnrollmentJobListAsync(
                             transaction.Connection, transaction.Transaction, sequenceId, raced, cancellationToken))
                {
                    // A stale attempt of this very job may have won the race: its enrollment is ours.
                    outcomes[id] = jobId == lease.JobId
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
