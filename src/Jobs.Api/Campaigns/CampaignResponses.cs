using Jobs.Contracts.Campaigns;
using Jobs.Core.Workloads.Campaigns;

namespace Jobs.Api.Campaigns;

/// <summary>How the API shows campaign and lead rows: the contract records made from the store's.</summary>
public static class CampaignResponses
{
    extension(CampaignSummaryResponse)
    {
        public static CampaignSummaryResponse From(CampaignRow c) => new(
            c.Id, c.JobId, c.Name, c.BusinessType, c.Location, c.MaxResults, c.MinConfidence, c.Source, c.Stats, c.CreatedAt,
            c.UpdatedAt, LinksFor(c));

        public static CampaignLinks LinksFor(CampaignRow c) =>
            new($"/api/campaigns/{c.Id}", $"/api/campaigns/{c.Id}/leads.csv", $"/api/jobs/{c.JobId}");
    }

    extension(CampaignResponse)
    {
        public static CampaignResponse From(CampaignRow c, IReadOnlyList<LeadRow> leads) => new(
            c.Id, c.JobId, c.Name, c.BusinessType, c.Location, c.MaxResults, c.MinConfidence, c.Source, c.Stats, c.CreatedAt,
            c.UpdatedAt, LinksFor(c), leads.Select(LeadResponse.From).ToList());
    }

    extension(LeadResponse)
    {
        public static LeadResponse From(LeadRow l) => new(
            l.Id, l.Rank, l.PlaceId, l.BusinessName, l.Address, l.Phone, l.Website, l.Rating, l.ReviewsCount, l.HasOpeningHours,
            l.BusinessStatus, l.Confidence, l.Email, l.EmailConfidence, l.EmailStatus, l.Cost, l.Source);
    }
}
