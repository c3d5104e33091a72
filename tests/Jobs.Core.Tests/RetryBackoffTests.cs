using Jobs.Core.Engine;

namespace Jobs.Core.Tests;

public sealed class RetryBackoffTests
{
    private readonly RetryBackoff backoff = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60));

    [Theory]
    [InlineData(1, 1, 2)]
    [InlineData(2, 2, 4)]
    [InlineData(3, 4, 8)]
    [InlineData(5, 16, 32)]
    public void DelayAfter_DoublesPerAttempt_WithJitterInTheUpperHalf(int attempt, double minSeconds, double maxSeconds)
    {
        backoff.DelayAfter(attempt, 0).TotalSeconds.ShouldBe(minSeconds, 0.001);
        backoff.DelayAfter(attempt, 0.999999).TotalSeconds.ShouldBe(maxSeconds, 0.001);
        backoff.DelayAfter(attempt, 0.5).TotalSeconds.ShouldBeInRange(minSeconds, maxSeconds);
    }

    [Fact]
    public void DelayAfter_IsCappedAtTheMaximum_EvenForHugeAttemptNumbers()
    {
        backoff.DelayAfter(10, 0.999).ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(60));
        backoff.DelayAfter(int.MaxValue, 0.999).ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(60));
        backoff.DelayAfter(int.MaxValue, 0).ShouldBe(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void DelayAfter_SpreadsRetriesOfTheSameAttempt()
    {
        var random = new Random(42);
        var delays = Enumerable.Range(0, 100).Select(_ => backoff.DelayAfter(4, random.NextDouble())).Distinct().Count();
        delays.ShouldBeGreaterThan(90);
    }

    [Fact]
    public void DelayAfter_RejectsAttemptsBelowOne() =>
        Should.Throw<ArgumentOutOfRangeException>(() => backoff.DelayAfter(0, 0.5));

    [Fact]
    public void Constructor_RejectsAMaximumBelowTheBase() =>
        Should.Throw<ArgumentOutOfRangeException>(() => new RetryBackoff(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)));
}
