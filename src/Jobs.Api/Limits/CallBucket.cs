namespace Jobs.Api.Limits;

/// <summary>
/// A token bucket for the calls of one SignalR connection: <c>burst</c> calls at once, then <c>perSecond</c>. In
/// process and per connection, so a flood is turned away before it costs a Redis round trip or a query. Refills from
/// timestamps when asked, so an idle connection costs no timer.
/// </summary>
public sealed class CallBucket(int burst, int perSecond, TimeProvider time)
{
    private readonly Lock gate = new();
    private double tokens = burst;
    private long refilledAt = time.GetTimestamp();

    /// <summary>Takes one call's token; when there is none, how long until there is.</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        lock (gate)
        {
            var now = time.GetTimestamp();
            tokens = Math.Min(burst, tokens + time.GetElapsedTime(refilledAt, now).TotalSeconds * perSecond);
            refilledAt = now;
            if (tokens >= 1)
            {
                tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds((1 - tokens) / perSecond);
            return false;
        }
    }
}
