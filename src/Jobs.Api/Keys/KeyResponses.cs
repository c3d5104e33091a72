using Jobs.Contracts.Keys;
using Jobs.Core.Identity;

namespace Jobs.Api.Keys;

/// <summary>How the API shows a key: the contract record made from the store's (never the key itself).</summary>
public static class KeyResponses
{
    extension(KeyResponse)
    {
        public static KeyResponse From(ApiKeyInfo key) =>
            new(key.Id, key.Name, key.Prefix, key.CreatedAt, key.LastUsedAt, key.RevokedAt, new KeyCreator(key.CreatedByUserId, key.CreatedByEmail));
    }
}
