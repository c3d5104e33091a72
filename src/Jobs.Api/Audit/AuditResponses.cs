using Jobs.Contracts.Audit;
using Jobs.Core.Identity;

namespace Jobs.Api.Audit;

/// <summary>How the API shows an audit row: the contract record made from the store's.</summary>
public static class AuditResponses
{
    extension(AuditEventResponse)
    {
        public static AuditEventResponse From(AuditEvent e) => new(
            e.Id,
            e.Action,
            e.ActorUserId is null && e.ActorEmail is null ? null : new AuditParty(e.ActorUserId, e.ActorEmail, e.ActorApiKeyId),
            e.TargetUserId is null && e.TargetEmail is null ? null : new AuditParty(e.TargetUserId, e.TargetEmail),
            e.Details,
            e.At);
    }
}
