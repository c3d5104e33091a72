using System.Text.Json;
using Jobs.Core.Workloads.Campaigns;

namespace Jobs.StoreTests.Workloads;

/// <summary>
/// <see cref="ICampaignStore"/>: a campaign upserted by its job holds exactly the last attempt's leads, pages newest
/// first, and another workspace's campaign is "not found" (docs/design.md, "Tenancy").
/// </summary>
public sealed class CampaignStoreTests(PostgresFixture postgres)
{
    private readonly TestDatabase db = postgres.Shared;

    [Fact]
    public async Task A_rerun_keeps_the_campaign_and_exactly_its_own_leads()
    {
        var ws = await db.NewWorkspaceAsync();
        var first = await ws.StartAsync("worker-1");
        var id = await UpsertAsync(Campaign(first.Lease, ws.Id, "Dentists", Lead(1, "p1"), Lead(2, "p2"), Lead(3, "p3")));
        var rerun = await ws.RestartAsync(first, "worker-2");

        var again = await UpsertAsync(Campaign(rerun.Lease, ws.Id, "Dentists in Leeds", Lead(2, "p4"), Lead(1, "p2", confidence: 95)));

        again.ShouldBe(id);
        var campaign = (await db.Campaigns.CampaignGetAsync(ws.Id, id, Ct)).ShouldNotBeNull();
        (campaign.JobId, campaign.Name, campaign.Stats.GetProperty("leads").GetInt32()).ShouldBe((first.Id, "Dentists in Leeds", 2));
        var leads = await db.Campaigns.LeadListAsync(ws.Id, id, Ct);
        leads.Select(l => (l.PlaceId, l.Rank, l.Confidence)).ShouldBe([("p2", 1, 95), ("p4", 2, 80)]);
        (await db.Campaigns.CampaignListAsync(ws.Id, 10, null, Ct)).Items.ShouldHaveSingleItem().Id.ShouldBe(id);
    }

    [Fact]
    public async Task Campaigns_page_newest_first_and_another_workspace_sees_none()
    {
        var ws = await db.NewWorkspaceAsync();
        var other = await db.NewWorkspaceAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var job = await ws.StartAsync();
            ids.Add(await UpsertAsync(Campaign(job.Lease, ws.Id, $"Campaign {i}", Lead(1, $"p{i}"))));
        }

        var pages = new List<Guid>();
        Guid? cursor = null;
        var count = 0;
        do
        {
            var (items, next) = await db.Campaigns.CampaignListAsync(ws.Id, 2, cursor, Ct);
            pages.AddRange(items.Select(c => c.Id));
            cursor = next;
            count++;
        }
        while (cursor is not null);

        (count, pages.Count).ShouldBe((3, 5));
        pages.ShouldBe(ids.OrderDescending());
        (await db.Campaigns.CampaignListAsync(other.Id, 10, null, Ct)).Items.ShouldBeEmpty();
        (await db.Campaigns.CampaignGetAsync(other.Id, ids[0], Ct)).ShouldBeNull();
        (await db.Campaigns.LeadListAsync(other.Id, ids[0], Ct)).ShouldBeEmpty();
    }

    private Task<Guid> UpsertAsync(CampaignUpsertParams campaign) =>
        db.InTransactionAsync((c, t) => db.Campaigns.CampaignUpsertAsync(c, t, campaign, Ct));

    private static CampaignUpsertParams Campaign(JobLease lease, Guid workspaceId, string name, params LeadUpsertParams[] leads) =>
        new(lease, workspaceId, name, "dentist", "Leeds", MaxResults: 10, MinConfidence: 50, Source: "simulated",
            JsonDocument.Parse($$"""{"leads":{{leads.Length}}}""").RootElement, leads);

    private static LeadUpsertParams Lead(int rank, string placeId, int confidence = 80) =>
        new(rank, placeId, $"Business {placeId}", null, null, null, Rating: 4.5, ReviewsCount: 10, HasOpeningHours: true, "OPERATIONAL",
            confidence, null, null, null, Cost: 0.01m, "simulated");
}
