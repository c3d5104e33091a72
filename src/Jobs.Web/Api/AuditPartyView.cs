namespace Jobs.Web.Api;

/// <summary>Who took part in an audited change, with their email as it was then.</summary>
public sealed record AuditPartyView(Guid? UserId, string? Email, Guid? ApiKeyId);
