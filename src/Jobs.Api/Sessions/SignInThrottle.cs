using System.Threading.RateLimiting;

namespace Jobs.Api.Sessions;

/// <summary>
/// Limits sign-in attempts per email address. The per-address limit alone is not enough: every user of the web UI
/// signs in from the web server's address, so that limit must be generous, and guessing one user's password must
/// still be slow.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    public const int AttemptsPerWindow = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(email =>
        RateLimitPartition.GetFixedWindowLimiter(email, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = AttemptsPerWindow,
            Window = Window,
            QueueLimit = 0,
        }));

    /// <summary>Takes one attempt for <paramref name="email"/>; null when allowed, else how long to wait.</summary>
    public TimeSpan? TryAttempt(string email)
    {
        using var lease = limiter.AttemptAcquire(email.Trim().ToLowerInvariant());
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Window;
    }

    public void Dispose() => limiter.Dispose();
}
