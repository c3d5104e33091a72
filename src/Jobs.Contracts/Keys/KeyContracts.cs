using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Contracts.Keys;

/// <summary>The body of <c>POST /api/keys</c>; any other member is refused.</summary>
public sealed record CreateKeyRequest(string? Name)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}

/// <summary>The user who created a key.</summary>
public sealed record KeyCreator(Guid UserId, string Email);

/// <summary>A key as listed: its prefix recognises it; the key itself is never shown again.</summary>
public sealed record KeyResponse(Guid Id, string Name, string? Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, KeyCreator CreatedBy);

/// <summary>Every key of the workspace, revoked ones included.</summary>
public sealed record KeyListResponse(IReadOnlyList<KeyResponse> Items);

/// <summary>A key just made; <c>apiKey</c> is the plain key, in this response only.</summary>
public sealed record CreatedKeyResponse(Guid Id, string Name, string? Prefix, DateTimeOffset CreatedAt, string ApiKey);
