using Jobs.Api.Limits;
using Jobs.Core.Identity;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Files;

/// <summary>
/// How many uploads may be in progress at once: per API key and per workspace across every API instance (in Redis,
/// through <see cref="RedisRateLimiter"/>), and per instance (in memory).
/// <para>
/// The key and workspace caps are shared by the instances so that a client meets the same cap however a load balancer
/// spreads its requests, and one tenant cannot take more of the cluster by reaching more instances. Like the other
/// Redis-held limits they fail open when Redis does not answer; the instance's own cap still holds then, which bounds
/// the spool space and connections one instance gives to uploads.
/// </para>
/// </summary>
public sealed class UploadSlots(RedisRateLimiter limiter, IOptions<UploadOptions> options)
{
    /// <summary>After the upload timeout, how much longer a slot stays taken if its instance died before giving it back.</summary>
    public static readonly TimeSpan LeaseGrace = TimeSpan.FromMinutes(1);

    private int inProgress;

    /// <summary>A slot for one upload by <paramref name="caller"/>, or the cap that refused it. Dispose the slot when done.</summary>
    public async Task<UploadSlot> TryTakeAsync(Caller caller)
    {
        var settings = options.Value;
        if (Interlocked.Increment(ref inProgress) > settings.MaxConcurrentPerInstance)
        {
            Interlocked.Decrement(ref inProgress);
            return UploadSlot.Refused(UploadSlot.InstanceScope, settings.MaxConcurrentPerInstance);
        }

        // The workspace in braces: a Redis Cluster keeps both sets on one node, as one script needs.
        var workspace = $"uploads:{{{caller.WorkspaceId}}}";
        string[] names = [$"{workspace}:key:{caller.ApiKeyId ?? caller.UserId}", workspace];
        var member = Guid.NewGuid().ToString("N");
        int? refusedBy;
        try
        {
            refusedBy = await limiter.SlotsTryTakeAsync(
                [(names[0], settings.MaxConcurrentPerKey), (names[1], settings.MaxConcurrentPerWorkspace)], member, settings.Timeout + LeaseGrace);
        }
        catch
        {
            Interlocked.Decrement(ref inProgress);
            throw;
        }

        if (refusedBy is { } index)
        {
            Interlocked.Decrement(ref inProgress);
            return index == 0
                ? UploadSlot.Refused(UploadSlot.KeyScope, settings.MaxConcurrentPerKey)
                : UploadSlot.Refused(UploadSlot.WorkspaceScope, settings.MaxConcurrentPerWorkspace);
        }

        return UploadSlot.Taken(async () =>
        {
            Interlocked.Decrement(ref inProgress);
            await limiter.SlotsReleaseAsync(names, member);
        });
    }
}
