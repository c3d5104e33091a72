using System.Text.Json;
using System.Text.Json.Serialization;
using Jobs.Core.Identity;

namespace Jobs.Api.Keys;

/// <summary>The body of <c>POST /api/keys</c>; any other member lands in <see cref="Unknown"/> and is refused.</summary>
public sealed record CreateKeyRequest(string? Name)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}

public sealed record KeyCreator(Guid UserId, string Email);

/// <summary>A key as listed: its prefix recognises it; the key itself is never shown again.</summary>
public sealed record KeyResponse(Guid Id, string Name, string? Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, KeyCreator CreatedBy)
{
    public static KeyResponse From(ApiKeyInfo key) =>
        new(key.Id, key.Name, key.Prefix, key.CreatedAt, key.LastUsedAt, key.RevokedAt, new KeyCreator(key.CreatedByUserId, key.CreatedByEmail));
}

public sealed record KeyListResponse(IReadOnlyList<KeyResponse> Items);

/// <summary>A key just made; <see cref="ApiKey"/> is the plain key, in this response only.</summary>
public sealed record CreatedKeyResponse(Guid Id, string Name, string? Prefix, DateTimeOffset CreatedAt, string ApiKey);
