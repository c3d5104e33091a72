using Jobs.Api.Auth;
using Jobs.Core.Workspaces;
using Npgsql;

namespace Jobs.Api.Campaigns;

/// <summary>What the campaign endpoints depend on, gathered in one <c>[AsParameters]</c> record.</summary>
public sealed record CampaignServices(HttpContext HttpContext, NpgsqlDataSource DataSource)
{
    public Caller Caller => HttpContext.User.ToCaller();

    public CampaignReader Reader => new(DataSource);
}
