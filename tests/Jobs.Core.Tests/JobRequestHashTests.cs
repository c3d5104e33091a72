using System.Text.Json;
using Jobs.Core.Engine.Storage;

namespace Jobs.Core.Tests;

public sealed class JobRequestHashTests
{
    private static JobInsertParams Request(string payload, short priority = 0, DateTimeOffset? runAt = null, int maxAttempts = 3, int timeout = 60) =>
        new("demo", "default", priority, JsonDocument.Parse(payload).RootElement, runAt, maxAttempts, timeout, "key");

    [Fact]
    public void PropertyOrder_AtAnyDepth_DoesNotChangeTheHash()
    {
        var a = JobRequestHash.Compute(Request("""{"items":2,"options":{"x":1,"y":[{"b":2,"a":1}]}}"""));
        var b = JobRequestHash.Compute(Request("""{"options":{"y":[{"a":1,"b":2}],"x":1},"items":2}"""));

        b.ShouldBe(a);
    }

    [Theory]
    [InlineData("""{"items":3}""", 0, 3, 60)]
    [InlineData("""{"items":2}""", 1, 3, 60)]
    [InlineData("""{"items":2}""", 0, 4, 60)]
    [InlineData("""{"items":2}""", 0, 3, 61)]
    [InlineData("""{"items":"2"}""", 0, 3, 60)]
    public void AnyOtherValue_ChangesTheHash(string payload, short priority, int maxAttempts, int timeout)
    {
        var original = JobRequestHash.Compute(Request("""{"items":2}"""));

        JobRequestHash.Compute(Request(payload, priority, maxAttempts: maxAttempts, timeout: timeout)).ShouldNotBe(original);
    }

    [Fact]
    public void ArrayOrder_AndRunAt_ChangeTheHash()
    {
        var at = new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

        JobRequestHash.Compute(Request("""{"ids":[1,2]}""")).ShouldNotBe(JobRequestHash.Compute(Request("""{"ids":[2,1]}""")));
        JobRequestHash.Compute(Request("{}", runAt: at)).ShouldNotBe(JobRequestHash.Compute(Request("{}")));
        // The same instant written in another offset is the same request.
        JobRequestHash.Compute(Request("{}", runAt: at)).ShouldBe(JobRequestHash.Compute(Request("{}", runAt: at.ToOffset(TimeSpan.FromHours(2)))));
    }
}
