using System.Text.Json;
using Jobs.Core.Database;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Workloads.Campaigns;

/// <summary>
/// The one <see cref="ICampaignStore"/> implementation: its reads here, the <c>leads.discover</c> handler's write in
/// <c>NpgsqlCampaignStore.Writes.cs</c>.
/// </summary>
public sealed partial class NpgsqlCampaignStore(NpgsqlDataSource dataSource) : ICampaignStore
{
    private const string CampaignColumns = """
        c.id, c.job_id, c.name, c.business_type, c.location, c.max_results, c.min_confidence, c.source, c.stats,
        c.created_at, c.updated_at
        """;

    private const string CampaignListSql = $"""
        SELECT {CampaignColumns}
        FROM campaigns c
        WHERE c.workspace_id = @workspace_id
          AND (@cursor::uuid IS NULL OR c.id < @cursor)
        ORDER BY c.id DESC
        LIMIT @limit
        """;

    private const string CampaignGetSql = $"""
        SELECT {CampaignColumns}
        FROM campaigns c
        WHERE c.workspace_id = @workspace_id
          AND c.id = @id
        """;

    private const string LeadListSql = """
        SELECT l.id, l.place_id, l.rank, l.business_name, l.address, l.phone, l.website, l.rating, l.reviews_count,
               l.has_opening_hours, l.business_status, l.confidence, l.email, l.email_confidence, l.email_status, l.cost,
               l.source
        FROM leads l
        WHERE l.workspace_id = @workspace_id
          AND l.campaign_id = @campaign_id
        ORDER BY l.rank, l.place_id
        """;

    public async Task<(IReadOnlyList<CampaignRow> Items, Guid? NextCursor)> CampaignListAsync(Guid workspaceId, int limit, Guid? cursor, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(CampaignListSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.Add(new NpgsqlParameter("cursor", NpgsqlDbType.Uuid) { Value = (object?)cursor ?? DBNull.Value });
        // One extra row says whether there is a next page without a COUNT.
        command.Parameters.AddWithValue("limit", Keyset.RowsFor(limit));
        var campaigns = new List<CampaignRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            campaigns.Add(ReadCampaign(reader));
        }

        return Keyset.Page(campaigns, limit, c => c.Id);
    }

    public async Task<CampaignRow?> CampaignGetAsync(Guid workspaceId, Guid campaignId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(CampaignGetSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("id", campaignId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadCampaign(reader) : null;
    }

    public async Task<IReadOnlyList<LeadRow>> LeadListAsync(Guid workspaceId, Guid campaignId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(LeadListSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("campaign_id", campaignId);
        var leads = new List<LeadRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            leads.Add(new LeadRow(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.GetInt32(2),
                reader.GetString(3),
                NullableString(reader, 4),
                NullableString(reader, 5),
                NullableString(reader, 6),
                reader.IsDBNull(7) ? null : reader.GetDecimal(7),
                reader.IsDBNull(8) ? null : reader.GetInt32(8),
                reader.GetBoolean(9),
                NullableString(reader, 10),
                reader.GetInt16(11),
                NullableString(reader, 12),
                reader.IsDBNull(13) ? null : reader.GetInt16(13),
                NullableString(reader, 14),
                reader.GetDecimal(15),
                reader.GetString(16)));
        }

        return leads;
    }

    private static CampaignRow ReadCampaign(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetGuid(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetInt32(5),
        reader.GetInt16(6),
        reader.GetString(7),
        reader.GetFieldValue<JsonElement>(8),
        reader.GetFieldValue<DateTimeOffset>(9),
        reader.GetFieldValue<DateTimeOffset>(10));

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
