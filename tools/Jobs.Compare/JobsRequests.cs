using System.Text.Json;
using Jobs.Contracts.Jobs;

namespace Jobs.Compare;

/// <summary>
/// What the scenarios submit to Jobs through Jobs.Client, built once: a measured submit only sends a request that
/// exists already, as the peers' own clients do.
/// </summary>
internal static class JobsRequests
{
    /// <summary>A <c>demo</c> job of no items: it completes as soon as it runs.</summary>
    public static SubmitJobRequest NoOp { get; } = Demo(new { items = 0 });

    public static SubmitJobRequest Demo(object payload) => new("demo", JsonSerializer.SerializeToElement(payload, JsonSerializerOptions.Web));

    /// <summary><paramref name="size"/> copies of <paramref name="job"/> in one batch.</summary>
    public static SubmitBatchRequest Batch(SubmitJobRequest job, int size) => new(Enumerable.Repeat<SubmitJobRequest?>(job, size).ToList());
}
