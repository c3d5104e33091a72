namespace Jobs.Web.Api;

/// <summary>Who created a key (null for keys seeded at start-up).</summary>
public sealed record ApiKeyCreator(Guid? UserId, string? Email);
