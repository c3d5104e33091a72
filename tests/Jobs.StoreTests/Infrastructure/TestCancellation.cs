namespace Jobs.StoreTests.Infrastructure;

/// <summary>The running test's cancellation token, imported statically so that every store call can pass it as <c>Ct</c>.</summary>
public static class TestCancellation
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;
}
