using Jobs.Api.Auth;
using Jobs.Api.Limits;
using Jobs.Core.Engine;
using Jobs.Core.Engine.Dependencies;
using Jobs.Core.Engine.Events;
using Jobs.Core.Engine.Pauses;
using Jobs.Core.Engine.Storage;
using Jobs.Core.Identity;

namespace Jobs.Api.Jobs;

/// <summary>What the jobs endpoints depend on, gathered as eShop does with one <c>[AsParameters]</c> record.</summary>
public sealed record JobServices(
    HttpContext HttpContext,
    IJobStore Store,
    WorkspaceLimitsCache Limits,
    JobRequestValidator Validator,
    JobDependencyValidator Dependencies,
    IJobDependencyStore DependencyStore,
    IPauseStore Pauses,
    JobSubmitter Submitter,
    JobEventBus Bus)
{
    public Caller Caller => HttpContext.User.ToCaller();

    /// <summary>Who the audit trail names for a transition this request asks for.</summary>
    public JobActor Actor => new(Caller.UserId, Caller.ApiKeyId);
}
