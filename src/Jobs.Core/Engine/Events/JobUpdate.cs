using System.Text.Json;
using Jobs.Core.Engine;

namespace Jobs.Core.Engine.Events;

/// <summary>
/// A live update (docs/design.md, "Live updates"). <see cref="Sequence"/> is the row's version: a client that read
/// the job applies only updates with a higher sequence, so a missed or reordered update never leaves it wrong.
/// </summary>
public sealed record JobUpdate(
    Guid JobId,
    Guid WorkspaceId,
    string Type,
    string Status,
    short Progress,
    string? Stage,
    long? ProcessedItems,
    long? TotalItems,
    JsonElement Metrics,
    string? Message,
    string? Error,
    int Attempt,
    long Sequence,
    DateTimeOffset Timestamp)
{
    public static JobUpdate From(Job job, string? message = null) => new(
        job.Id,
        job.WorkspaceId,
        job.Type,
        job.Status,
        job.Progress,
        job.Stage,
        job.ProcessedItems,
        job.TotalItems,
        job.Metrics,
        message,
        job.Error,
        job.Attempt,
        job.Version,
        job.UpdatedAt);
}
