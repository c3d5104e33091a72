using System.Text.Json;

namespace Jobs.Contracts.Jobs;

/// <summary>
/// A live update (docs/design.md, "Live updates"). <c>sequence</c> is the row's version: a client that read
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
    DateTimeOffset Timestamp);
