namespace Jobs.Web.Api;

/// <summary>A page of the audit trail, newest first; <see cref="NextCursor"/> reads the older entries.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEventView> Items, string? NextCursor);
