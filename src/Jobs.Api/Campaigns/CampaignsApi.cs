using Jobs.Api.Jobs;
using Jobs.Api.Problems;
using Jobs.Contracts.Campaigns;
using Microsoft.AspNetCore.Http.HttpResults;

using Jobs.Api.OpenApi;
using Jobs.Api.Paging;

namespace Jobs.Api.Campaigns;

/// <summary>
/// The campaigns that <c>leads.discover</c> jobs store, with their leads and a CSV export. Scoped to the caller's
/// workspace: another workspace's campaign answers exactly like one that does not exist (docs/design.md, "Tenancy").
/// </summary>
public static class CampaignsApi
{
    public static RouteGroupBuilder MapCampaignsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api")
            .RequireAuthorization()
            .WithTags("Campaigns");

        api.MapGet("/campaigns", ListCampaigns)
            .WithName("ListCampaigns")
            .WithSummary("Campaigns of lead discovery, newest first, with keyset pagination");
        api.MapGet("/campaigns/{id}", GetCampaign)
            .WithName("GetCampaign")
            .WithSummary("One campaign with its leads, the most confident first");
        api.MapGet("/campaigns/{id}/leads.csv", ExportLeadsCsv)
            .WithName("ExportCampaignLeadsCsv")
            .AddOpenApiOperationTransformer(OpenApiDescriptions.File("text/csv", ranges: false))
            .WithSummary("The campaign's leads as a CSV file");
        return api;
    }

    public static async Task<Results<Ok<CampaignListResponse>, ValidationProblem>> ListCampaigns(
        string? limit,
        string? cursor,
        [AsParameters] CampaignServices services,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var size = PageQuery.ParseLimit(limit, errors);

        var after = PageQuery.ParseIdCursor(cursor, errors);

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var (items, next) = await services.Store.CampaignListAsync(services.Caller.WorkspaceId, size, after, cancellationToken);
        return TypedResults.Ok(new CampaignListResponse(items.Select(CampaignSummaryResponse.From).ToList(), next?.ToString()));
    }

    public static async Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> GetCampaign(
        string id,
        [AsParameters] CampaignServices services,
        CancellationToken cancellationToken)
    {
        var workspaceId = services.Caller.WorkspaceId;
        if (!Guid.TryParse(id, out var campaignId) || await services.Store.CampaignGetAsync(workspaceId, campaignId, cancellationToken) is not { } campaign)
        {
            return NotFound(id);
        }

        var leads = await services.Store.LeadListAsync(workspaceId, campaignId, cancellationToken);
        return TypedResults.Ok(CampaignResponse.From(campaign, leads));
    }

    public static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> ExportLeadsCsv(
        string id,
        [AsParameters] CampaignServices services,
        CancellationToken cancellationToken)
    {
        var workspaceId = services.Caller.WorkspaceId;
        if (!Guid.TryParse(id, out var campaignId) || await services.Store.CampaignGetAsync(workspaceId, campaignId, cancellationToken) is not { } campaign)
        {
            return NotFound(id);
        }

        // Read before the response starts, so that a database error is still a problem response, not a cut-off file.
        var leads = await services.Store.LeadListAsync(workspaceId, campaignId, cancellationToken);
        return TypedResults.Stream(
            stream => LeadsCsv.WriteAsync(stream, leads, cancellationToken),
            LeadsCsv.ContentType,
            LeadsCsv.FileName(campaign.Name));
    }

    private static ProblemHttpResult NotFound(string id) =>
        ApiProblems.Problem(StatusCodes.Status404NotFound, "campaign_not_found", "Campaign not found",
            $"There is no campaign '{(id.Length <= 64 ? id : id[..64] + "…")}' in your workspace.");
}
