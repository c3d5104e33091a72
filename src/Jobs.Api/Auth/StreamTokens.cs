using System.Buffers.Binary;
using System.Security.Claims;
using System.Security.Cryptography;
using Jobs.Core.Engine.Storage;
using Jobs.Core.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Auth;

/// <summary>
/// Short-lived tokens with which a browser follows a job (or its workspace) on the two live channels, where it cannot
/// send a header: <c>EventSource</c> on <c>GET /api/jobs/{id}/events</c> and SignalR's WebSocket on the hub take them as
/// <c>?access_token=</c>. An API key never goes in a URL (it would end up in logs and histories); a stream token may,
/// because it opens nothing else and stops opening connections after <see cref="ApiOptions.StreamTokenLifetime"/>.
/// </summary>
/// <remarks>
/// <para>
/// A token is <c>jst_</c> + base64url(payload) + <c>.</c> + base64url(HMAC-SHA256 of the payload). The payload names
/// the key it was minted with, its workspace, the job it is for (none: the whole workspace) and when it stops being
/// accepted. The signing key is a platform secret in the database, made by the first instance that needs it, so every
/// instance accepts every instance's tokens and nothing has to be configured.
/// </para>
/// <para>
/// Nothing is stored per token. A token works only while the key it was minted with works: each use looks that key up,
/// and a connection opened with a token is tracked under that key's hash (<see cref="ApiKeyConnections"/>), so revoking
/// the key (or ending the session, or removing the user) refuses its tokens and ends their connections at once. The
/// connection itself may outlive the token's lifetime, as connections outlive any key check; a reconnection after it
/// needs a new token.
/// </para>
/// </remarks>
public sealed class StreamTokens(IClusterStore cluster, IWorkspaceStore workspaces, IOptions<ApiOptions> options, TimeProvider time)
{
    public const string Prefix = "jst_";

    /// <summary>The claim that marks a stream token's caller: the job id it may follow, or <see cref="WorkspaceScope"/>.</summary>
    public const string ScopeClaim = "jobs:stream_scope";

    public const string WorkspaceScope = "workspace";

    private const string SigningKeyName = "stream-token-signing-key";
    private const byte Version = 1;
    private const int PayloadLength = 1 + 16 + 16 + 16 + 8;

    private readonly SemaphoreSlim loading = new(1, 1);
    private byte[]? signingKey;

    /// <summary>A token for <paramref name="caller"/>'s key, for one job or (null) the whole workspace.</summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt)> MintAsync(Caller caller, Guid? jobId, CancellationToken cancellationToken)
    {
        var keyId = caller.ApiKeyId ?? throw new InvalidOperationException("Stream tokens are minted with an API key.");
        // Never beyond the key's own end: a session's token dies with it.
        var expiresAt = time.GetUtcNow() + options.Value.StreamTokenLifetime;
        if (caller.ApiKeyExpiresAt < expiresAt)
        {
            expiresAt = caller.ApiKeyExpiresAt.Value;
        }

        var payload = new byte[PayloadLength];
        payload[0] = Version;
        keyId.TryWriteBytes(payload.AsSpan(1, 16));
        caller.WorkspaceId.TryWriteBytes(payload.AsSpan(17, 16));
        (jobId ?? Guid.Empty).TryWriteBytes(payload.AsSpan(33, 16));
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(49, 8), expiresAt.ToUnixTimeSeconds());
        var mac = HMACSHA256.HashData(await SigningKeyAsync(cancellationToken), payload);
        return ($"{Prefix}{WebEncoders.Base64UrlEncode(payload)}.{WebEncoders.Base64UrlEncode(mac)}",
            DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds()));
    }

    /// <summary>
    /// The caller of a valid, unexpired token whose key still works, with its scope; null otherwise (a forged, altered,
    /// expired or malformed token, or one whose key was revoked).
    /// </summary>
    public async Task<StreamTokenCaller?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (!TryParse(token, out var payload, out var mac))
        {
            return null;
        }

        var expected = HMACSHA256.HashData(await SigningKeyAsync(cancellationToken), payload);
        if (!CryptographicOperations.FixedTimeEquals(mac, expected)
            || payload[0] != Version
            || BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(49, 8)) <= time.GetUtcNow().ToUnixTimeSeconds())
        {
            return null;
        }

        var keyId = new Guid(payload.AsSpan(1, 16));
        var workspaceId = new Guid(payload.AsSpan(17, 16));
        var jobId = new Guid(payload.AsSpan(33, 16));
        if (await workspaces.ApiKeyFindCallerByIdAsync(keyId, cancellationToken) is not { } key || key.Caller.WorkspaceId != workspaceId)
        {
            return null;
        }

        return new StreamTokenCaller(key.Caller, key.KeyHash, jobId == Guid.Empty ? null : jobId);
    }

    /// <summary>True for a caller that came with a stream token rather than an API key.</summary>
    public static bool IsStreamToken(ClaimsPrincipal user) => user.FindFirst(ScopeClaim) is not null;

    /// <summary>
    /// Whether <paramref name="user"/> may follow <paramref name="jobId"/>: any caller with a key may (within its
    /// workspace, which the channels check), a stream token only for its own job or, workspace-wide, any.
    /// </summary>
    public static bool MayFollow(ClaimsPrincipal user, Guid jobId) =>
        user.FindFirstValue(ScopeClaim) is not { } scope || scope == WorkspaceScope || scope == jobId.ToString();

    /// <summary>Whether <paramref name="user"/> may follow its whole workspace: not with a token for one job.</summary>
    public static bool MayFollowWorkspace(ClaimsPrincipal user) =>
        user.FindFirstValue(ScopeClaim) is not { } scope || scope == WorkspaceScope;

    private static bool TryParse(string token, out byte[] payload, out byte[] mac)
    {
        payload = mac = [];
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || dot < 0 || token.Length > 200)
        {
            return false;
        }

        try
        {
            payload = WebEncoders.Base64UrlDecode(token, Prefix.Length, dot - Prefix.Length);
            mac = WebEncoders.Base64UrlDecode(token, dot + 1, token.Length - dot - 1);
        }
        catch (FormatException)
        {
            return false;
        }

        return payload.Length == PayloadLength && mac.Length == HMACSHA256.HashSizeInBytes;
    }

    private async Task<byte[]> SigningKeyAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref signingKey) is { } known)
        {
            return known;
        }

        await loading.WaitAsync(cancellationToken);
        try
        {
            signingKey ??= await cluster.PlatformSecretGetOrCreateAsync(SigningKeyName, RandomNumberGenerator.GetBytes(32), cancellationToken);
            return signingKey;
        }
        finally
        {
            loading.Release();
        }
    }
}

/// <summary>A stream token's caller: its key's, with the key's hash and the one job it may follow (null: any).</summary>
public sealed record StreamTokenCaller(Caller Caller, byte[] KeyHash, Guid? JobId);
