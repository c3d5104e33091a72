using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Contracts.Users;

/// <summary>A user of the workspace; <c>invitationPending</c> until they accept their invitation.</summary>
public sealed record UserResponse(Guid Id, string Email, string DisplayName, string Role, DateTimeOffset CreatedAt, bool InvitationPending);

/// <summary>Every user of the workspace.</summary>
public sealed record UserListResponse(IReadOnlyList<UserResponse> Items);

/// <summary>The body of an invitation: who, and with which role; any other member is refused.</summary>
public sealed record InviteUserRequest(string? Email, string? Role)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}

/// <summary>An invitation just made; <c>invitationToken</c> is in this response only (the database keeps its hash).</summary>
public sealed record InvitationResponse(Guid UserId, string Email, string Role, string InvitationToken, string InvitationUrlPath, DateTimeOffset ExpiresAt);

/// <summary>The body that accepts an invitation: its token, the new user's name and password; any other member is refused.</summary>
public sealed record AcceptInvitationRequest(string? Token, string? DisplayName, string? Password)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}

/// <summary>The body that changes a user's role; any other member is refused.</summary>
public sealed record SetRoleRequest(string? Role)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}
