namespace Jobs.Core.Engine;

/// <summary>
/// Exponential backoff with full jitter: the n-th retry waits a random time in [base·2^(n-1) / 2, base·2^(n-1)],
/// capped. Half the window is kept fixed so that a retry never fires immediately after the failure.
/// </summary>
public sealed class RetryBackoff(TimeSpan baseDelay, TimeSpan maxDelay)
{
    public static RetryBackoff Default { get; } = new(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(10));

    public TimeSpan BaseDelay { get; } = baseDelay > TimeSpan.Zero ? baseDelay : throw new ArgumentOutOfRangeException(nameof(baseDelay));

    public TimeSpan MaxDelay { get; } = maxDelay >= baseDelay ? maxDelay : throw new ArgumentOutOfRangeException(nameof(maxDelay));

    /// <param name="attempt">The attempt that just failed, 1 for the first.</param>
    /// <param name="random">A number in [0, 1).</param>
    public TimeSpan DelayAfter(int attempt, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var exponent = Math.Min(attempt - 1, 30);
        var ceiling = Math.Min(BaseDelay.TotalMilliseconds * Math.Pow(2, exponent), MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ceiling / 2 + ceiling / 2 * random);
    }
}
