using Jobs.Core.Jobs;
using Npgsql;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary>What the contact jobs read before they write: the workspace's settings, a sequence, an export's snapshot.</summary>
public sealed class ContactReader(NpgsqlDataSource dataSource)
{
    private const string SettingsGetSql = """
        SELECT w.subscribe_batch_size, w.subscribe_batch_pause_ms, w.max_batch_items
        FROM workspaces w
        WHERE w.id = @workspace_id
        """;

    private const string SequenceNameGetSql = """
        SELECT s.name
        FROM sequences s
        WHERE s.workspace_id = @workspace_id
          AND s.id = @id
        """;

    public async Task<ContactSettings> SettingsGetAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SettingsGetSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new NonRetryableJobException($"Workspace {workspaceId} does not exist.");
        }

        return new ContactSettings(reader.GetInt32(0), TimeSpan.FromMilliseconds(reader.GetInt32(1)), reader.GetInt32(2));
    }

    /// <summary>The sequence's name, or null when the workspace has no such sequence (another workspace's included).</summary>
    public async Task<string?> SequenceNameGetAsync(Guid workspaceId, Guid sequenceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(SequenceNameGetSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("id", sequenceId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public Task<ContactExportSnapshot> ExportSnapshotOpenAsync(Guid workspaceId, ContactExportFilters filters, CancellationToken cancellationToken) =>
        ContactExportSnapshot.OpenAsync(dataSource, workspaceId, filters, cancellationToken);
}
