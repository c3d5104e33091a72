using Npgsql;

namespace Jobs.Core.Workloads.Campaigns;

/// <summary>
/// The lead-discovery workload's tables (campaigns, leads), always within one workspace. Reads open their own
/// connection; the write runs in the caller's transaction, which the <c>leads.discover</c> handler fences by its
/// attempt's lease (docs/design.md, "Leases and fencing").
/// </summary>
public interface ICampaignStore
{
    /// <summary>Newest first. The cursor is the last id of the previous page (exclusive); the next one is null on the last page.</summary>
    Task<(IReadOnlyList<CampaignRow> Items, Guid? NextCursor)> CampaignListAsync(Guid workspaceId, int limit, Guid? cursor, CancellationToken cancellationToken);

    Task<CampaignRow?> CampaignGetAsync(Guid workspaceId, Guid campaignId, CancellationToken cancellationToken);

    /// <summary>The campaign's leads in its order, the most confident first.</summary>
    Task<IReadOnlyList<LeadRow>> LeadListAsync(Guid workspaceId, Guid campaignId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a campaign and its leads in the given transaction, idempotently (docs/design.md, "Delivery invariants"):
    /// the campaign is upserted by its job, each lead by (campaign, place), and leads an earlier attempt stored that
    /// this one did not find are removed, so the campaign always holds exactly the last successful attempt's leads.
    /// </summary>
    /// <returns>The campaign's id (the first attempt's, on a rerun).</returns>
    Task<Guid> CampaignUpsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CampaignUpsertParams campaign, CancellationToken cancellationToken);
}
