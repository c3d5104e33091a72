using Jobs.Api.Auth;
using Jobs.Api.Jobs;
using Jobs.Core.Engine.Catalog;
using Jobs.Core.Engine.Pauses;
using Jobs.Core.Identity;

namespace Jobs.Api.Pauses;

/// <summary>What the pauses endpoints depend on, gathered in one <c>[AsParameters]</c> record.</summary>
public sealed record PauseServices(
    HttpContext HttpContext,
    IPauseStore Store,
    JobTypeCatalog Catalog,
    JobSubmitter Submitter,
    ILogger<PauseServices> Logger)
{
    public Caller Caller => HttpContext.User.ToCaller();
}
