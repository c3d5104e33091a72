using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Engine.Catalog.Declarations;
using Jobs.Core.Workloads.Campaigns;
using Jobs.Worker.Integrations;
using Jobs.Worker.Integrations.Email;
using Jobs.Worker.Integrations.Places;
using Jobs.Worker.Processing;

namespace Jobs.Worker.Handlers.Leads;

/// <summary>
/// <c>leads.discover</c> (docs/design.md, "Workloads"): finds businesses of a type in a location, scores how likely
/// each is a real, reachable lead, finds and verifies an email for the best ones, and stores them as a campaign. Stages
/// and bands: discovering 0–30 %, scoring 30–50 %, enriching 50–90 %, storing 90–100 %. Metrics: businesses_found,
/// qualified_leads, leads_enriched, total_cost (USD), avg_confidence.
/// <para>
/// At-least-once: a rerun starts over, calls the services again (their cost is counted again: it was spent again) and
/// upserts the same campaign, so a crash at any point leaves at most one campaign per job and no duplicate lead.
/// </para>
/// </summary>
[JobType(TypeName, Title = "Lead discovery", Bulk = true, MaxAttempts = 3, TimeoutSeconds = 1800,
    Description = "Finds businesses of a type in a location, scores them, finds and verifies their emails, and stores the best as a campaign.")]
[JobStage(LeadStages.Discovering, "Discovering businesses…", Items = "businesses")]
[JobStage(LeadStages.Scoring, "Scoring and qualifying leads…", Items = "businesses")]
[JobStage(LeadStages.Enriching, "Enriching contacts…", Items = "leads")]
[JobStage(LeadStages.Storing, "Storing results…", Items = "leads")]
[JobMetric("businesses_found", "Businesses found")]
[JobMetric("qualified_leads", "Qualified leads")]
[JobMetric("leads_enriched", "Enriched", Of = "qualified_leads")]
[JobMetric("total_cost", "Cost")]
[JobMetric("avg_confidence", "Average confidence")]
public sealed class LeadDiscoveryHandler(
    IPlacesSearch places,
    IEmailFinder emailFinder,
    IEmailVerifier emailVerifier,
    CampaignWriter writer,
    ILogger<LeadDiscoveryHandler> logger) : JobHandler<LeadDiscoveryPayload, LeadDiscoveryResult>
{
    public const string TypeName = "leads.discover";

    /// <summary>Text Search returns at most 60 places (three pages of 20), however many are asked for.</summary>
    public const int MaxCandidates = 60;

    protected override async Task<LeadDiscoveryResult> HandleAsync(JobContext context, LeadDiscoveryPayload payload, CancellationToken cancellationToken)
    {
        var businessType = payload.BusinessType.Trim();
        var location = payload.Location.Trim();
        var cost = 0m;
        var source = SourceOf(places.Source, emailFinder.Source, emailVerifier.Source);

        // discovering, 0–30 %: the text search takes the first 5 points, the details of each business the rest.
        await context.ReportAsync(percent: 0, stage: LeadStages.Discovering, processedItems: 0, totalItems: 0,
            message: $"searching {places.Source} places for {businessType} in {location}");
        // Three candidates per wanted lead leave room for the threshold; Text Search stops at 60 anyway.
        var candidates = Math.Clamp(payload.MaxResults * 3, 20, MaxCandidates);
        var search = await places.SearchTextAsync(new PlaceQuery(businessType, location, candidates), cancellationToken);
        cost += search.Cost;
        context.SetMetric("businesses_found", search.Places.Count);
        context.SetMetric("total_cost", Money(cost));
        await context.ReportAsync(percent: 5, totalItems: search.Places.Count, message: $"{search.Places.Count} businesses found");

        var businesses = new List<Business>(search.Places.Count);
        var detailsCost = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var place in search.Places)
        {
            var details = await places.GetDetailsAsync(place.PlaceId, cancellationToken);
            cost += details.Cost;
            detailsCost[place.PlaceId] = details.Cost;
            businesses.Add(new Business(place.PlaceId, place.Name, place.Address, details.Phone, details.Website,
                details.Rating, details.ReviewsCount, details.HasOpeningHours, details.BusinessStatus));
            context.SetMetric("total_cost", Money(cost));
            await context.ReportAsync(percent: LeadStages.Within(5, 30, businesses.Count, search.Places.Count), processedItems: businesses.Count);
        }

        // scoring, 30–50 %.
        await context.ReportAsync(percent: 30, stage: LeadStages.Scoring, processedItems: 0, totalItems: businesses.Count,
            message: $"scoring {businesses.Count} businesses");
        cancellationToken.ThrowIfCancellationRequested();
        var ranked = LeadScorer.Rank(businesses, payload.MinConfidenceScore, payload.MaxResults);
        var avgConfidence = ranked.Count == 0 ? 0 : Math.Round(ranked.Average(r => r.Confidence), 1);
        context.SetMetric("qualified_leads", ranked.Count);
        context.SetMetric("avg_confidence", avgConfidence);
        await context.ReportAsync(percent: 50, processedItems: businesses.Count,
            message: $"{ranked.Count} of {businesses.Count} businesses score {payload.MinConfidenceScore} or more");

        // enriching, 50–90 %: per lead, find an email from its website's domain, then verify it.
        await context.ReportAsync(percent: 50, stage: LeadStages.Enriching, processedItems: 0, totalItems: ranked.Count,
            message: $"finding emails with {emailFinder.Source}, verifying with {emailVerifier.Source}");
        var leads = new List<LeadUpsertParams>(ranked.Count);
        var enriched = 0;
        foreach (var (business, confidence) in ranked)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var enrichmentCost = 0m;
            EmailFinding? finding = null;
            EmailVerification? verification = null;
            if (business.Domain is { } domain)
            {
                finding = await emailFinder.FindAsync(domain, business.Name, cancellationToken);
                enrichmentCost += finding.Cost;
                if (finding.Email is { } email)
                {
                    verification = await emailVerifier.VerifyAsync(email, cancellationToken);
                    enrichmentCost += verification.Cost;
                    enriched++;
                }
            }

            cost += enrichmentCost;
            leads.Add(new LeadUpsertParams(
                leads.Count + 1, business.PlaceId, business.Name, business.Address, business.Phone, business.Website,
                business.Rating, business.ReviewsCount, business.HasOpeningHours, business.BusinessStatus, confidence,
                finding?.Email, finding?.Email is null ? null : finding.Confidence, verification?.Status,
                detailsCost[business.PlaceId] + enrichmentCost, places.Source));
            context.SetMetric("leads_enriched", enriched);
            context.SetMetric("total_cost", Money(cost));
            await context.ReportAsync(percent: LeadStages.Within(50, 90, leads.Count, ranked.Count), processedItems: leads.Count);
        }

        // storing, 90–100 %: one transaction, upserted by job, so a rerun replaces rather than duplicates.
        await context.ReportAsync(percent: 90, stage: LeadStages.Storing, processedItems: 0, totalItems: leads.Count,
            message: $"storing {leads.Count} leads");
        var stats = new JsonObject
        {
            ["businessesFound"] = search.Places.Count,
            ["qualifiedLeads"] = leads.Count,
            ["leadsEnriched"] = enriched,
            ["totalCost"] = Money(cost),
            ["avgConfidence"] = avgConfidence,
            ["emailStatuses"] = new JsonObject
            {
                [EmailStatus.Deliverable] = leads.Count(l => l.EmailStatus == EmailStatus.Deliverable),
                [EmailStatus.Risky] = leads.Count(l => l.EmailStatus == EmailStatus.Risky),
                [EmailStatus.Undeliverable] = leads.Count(l => l.EmailStatus == EmailStatus.Undeliverable),
            },
            ["providers"] = new JsonObject
            {
                ["places"] = places.Source,
                ["emailFinder"] = emailFinder.Source,
                ["emailVerifier"] = emailVerifier.Source,
            },
        };
        var campaignId = await writer.CampaignUpsertAsync(new CampaignUpsertParams(
            context.Job.Lease, context.Job.WorkspaceId, $"{businessType} in {location}", businessType, location,
            payload.MaxResults, payload.MinConfidenceScore, source, JsonSerializer.SerializeToElement(stats), leads), cancellationToken)
            ?? throw new InvalidOperationException("This attempt lost its lease before storing; the attempt that took over stores the campaign.");
        logger.LogInformation("Job {JobId}: campaign {CampaignId} stored with {Leads} {Source} leads for {Cost} USD",
            context.Job.Id, campaignId, leads.Count, source, Money(cost));
        await context.ReportAsync(percent: 100, processedItems: leads.Count, message: $"campaign stored with {leads.Count} leads");

        return new LeadDiscoveryResult(campaignId, search.Places.Count, leads.Count, enriched, Money(cost), avgConfidence, source);
    }

    /// <summary><c>simulated</c> when every service is, <c>live</c> when none is, else <c>mixed</c>.</summary>
    public static string SourceOf(params string[] sources) =>
        sources.All(s => s == IntegrationProvider.Simulated) ? IntegrationProvider.Simulated
        : sources.Any(s => s == IntegrationProvider.Simulated) ? "mixed"
        : "live";

    private static decimal Money(decimal usd) => Math.Round(usd, 4, MidpointRounding.AwayFromZero);
}
