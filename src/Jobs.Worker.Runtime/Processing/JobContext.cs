using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Engine;
using Jobs.Core.Engine.Catalog.Declarations;

namespace Jobs.Worker.Processing;

/// <summary>What a handler sees of its job, and how it reports progress.</summary>
public sealed class JobContext
{
    private readonly ProgressReporter reporter;

    internal JobContext(Job job, ProgressReporter reporter)
    {
        Job = job;
        this.reporter = reporter;
    }

    public Job Job { get; }

    public JsonElement Payload => Job.Payload;

    /// <summary>1 for the first attempt.</summary>
    public int Attempt => Job.Attempt;

    public T GetPayload<T>() =>
        Job.Payload.Deserialize<T>(JobJson.Options)
        ?? throw new NonRetryableJobException($"The payload of job {Job.Id} is empty.");

    /// <summary>Reports progress; null arguments keep their current value. Writes are coalesced, a new stage is written at once.</summary>
    public Task ReportAsync(int? percent = null, string? stage = null, long? processedItems = null, long? totalItems = null, string? message = null) =>
        reporter.ReportAsync(percent, stage, processedItems, totalItems, message);

    /// <summary>Sets a metric (cost so far, items found…), sent with the next progress write.</summary>
    public void SetMetric(string name, JsonNode? value) => reporter.SetMetric(name, value);
}
