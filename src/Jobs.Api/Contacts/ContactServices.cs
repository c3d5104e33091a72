using Jobs.Api.Auth;
using Jobs.Core.Identity;
using Jobs.Core.Workloads.Contacts;

namespace Jobs.Api.Contacts;

/// <summary>What the contact endpoints depend on, gathered in one <c>[AsParameters]</c> record.</summary>
public sealed record ContactServices(HttpContext HttpContext, IContactStore Store)
{
    public Caller Caller => HttpContext.User.ToCaller();
}
