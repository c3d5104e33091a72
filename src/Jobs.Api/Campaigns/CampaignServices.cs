using Jobs.Api.Auth;
using Jobs.Core.Identity;
using Jobs.Core.Workloads.Campaigns;

namespace Jobs.Api.Campaigns;

/// <summary>What the campaign endpoints depend on, gathered in one <c>[AsParameters]</c> record.</summary>
public sealed record CampaignServices(HttpContext HttpContext, ICampaignStore Store)
{
    public Caller Caller => HttpContext.User.ToCaller();
}
