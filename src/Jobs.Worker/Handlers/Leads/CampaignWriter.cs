using Jobs.Core.Workloads.Campaigns;
using Jobs.Worker.Processing;
using Npgsql;

namespace Jobs.Worker.Handlers.Leads;

/// <summary>
/// Writes a campaign and its leads in one transaction (<see cref="ICampaignStore.CampaignUpsertAsync"/>), fenced by the
/// attempt's lease as the engine's own writes are (docs/design.md, "Leases and fencing"): the job row is share-locked
/// first, so a stale attempt cannot overwrite the result of the attempt that replaced it.
/// </summary>
public sealed class CampaignWriter(NpgsqlDataSource dataSource, ICampaignStore store)
{
    /// <returns>The campaign's id (the first attempt's, on a rerun); null when the attempt no longer holds its lease.</returns>
    public async Task<Guid?> CampaignUpsertAsync(CampaignUpsertParams campaign, CancellationToken cancellationToken)
    {
        await using var transaction = await FencedTransaction.BeginAsync(dataSource, campaign.Lease, cancellationToken);
        if (transaction is null)
        {
            return null;
        }

        var campaignId = await store.CampaignUpsertAsync(transaction.Connection, transaction.Transaction, campaign, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return campaignId;
    }
}
