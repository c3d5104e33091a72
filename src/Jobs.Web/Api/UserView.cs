namespace Jobs.Web.Api;

/// <summary>A user of the workspace as <c>GET /api/users</c> lists them.</summary>
public sealed record UserView(Guid Id, string Email, string? DisplayName, string Role, DateTimeOffset CreatedAt, bool InvitationPending);
