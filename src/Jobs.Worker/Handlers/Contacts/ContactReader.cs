using Jobs.Core.Engine;
using Jobs.Core.Workloads.Contacts;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary>
/// What the contact jobs read before they write: the workspace's settings, a sequence, an export's snapshot; the
/// statements are <see cref="IContactStore"/>'s.
/// </summary>
public sealed class ContactReader(IContactStore store)
{
    public async Task<ContactSettings> SettingsGetAsync(Guid workspaceId, CancellationToken cancellationToken) =>
        await store.SettingsGetAsync(workspaceId, cancellationToken)
        ?? throw new NonRetryableJobException($"Workspace {workspaceId} does not exist.");

    /// <summary>The sequence's name, or null when the workspace has no such sequence (another workspace's included).</summary>
    public Task<string?> SequenceNameGetAsync(Guid workspaceId, Guid sequenceId, CancellationToken cancellationToken) =>
        store.SequenceNameGetAsync(workspaceId, sequenceId, cancellationToken);

    /// <summary>The export's snapshot: the same filter as the contact list (<see cref="ContactMatch"/>), the tag as stored.</summary>
    public Task<ContactExportSnapshot> ExportSnapshotOpenAsync(Guid workspaceId, ContactExportFilters filters, CancellationToken cancellationToken) =>
        store.ExportSnapshotOpenAsync(
            workspaceId,
            new ContactMatch(ContactTags.Normalize(filters.Tag), filters.OptedOut, filters.DoNotContact, filters.Search),
            cancellationToken);
}
