using System.Text.Json;
using System.Text.Json.Serialization;
using Jobs.Core.Identity;

namespace Jobs.Api.Users;

public sealed record UserResponse(Guid Id, string Email, string DisplayName, string Role, DateTimeOffset CreatedAt, bool InvitationPending)
{
    public static UserResponse From(WorkspaceUser user) =>
        new(user.Id, user.Email, user.DisplayName, user.Role, user.CreatedAt, user.InvitationPending);
}

public sealed record UserListResponse(IReadOnlyList<UserResponse> Items);

public sealed record InviteUserRequest(string? Email, string? Role)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}

/// <summary>An invitation just made; <see cref="InvitationToken"/> is in this response only (the database keeps its hash).</summary>
public sealed record InvitationResponse(Guid UserId, string Email, string Role, string InvitationToken, string InvitationUrlPath, DateTimeOffset ExpiresAt);

public sealed record AcceptInvitationRequest(string? Token, string? DisplayName, string? Password)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}

public sealed record SetRoleRequest(string? Role)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}
