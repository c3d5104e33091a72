using Jobs.Api.Auth;
using Jobs.Core.Workspaces;
using Npgsql;

namespace Jobs.Api.Contacts;

/// <summary>What the contact endpoints depend on, gathered in one <c>[AsParameters]</c> record.</summary>
public sealed record ContactServices(HttpContext HttpContext, NpgsqlDataSource DataSource)
{
    public Caller Caller => HttpContext.User.ToCaller();

    public ContactListReader Reader => new(DataSource);
}
