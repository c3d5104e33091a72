using System.Text.Json;

namespace Jobs.Core.Engine;

/// <summary>A row of <c>jobs</c> (docs/design.md, "Job lifecycle").</summary>
public sealed record Job
{
    public required Guid Id { get; init; }
    public required Guid WorkspaceId { get; init; }
    public required Guid UserId { get; init; }
    public required string Type { get; init; }
    public required string Queue { get; init; }
    public short Priority { get; init; }
    public required string Status { get; init; }
    public required JsonElement Payload { get; init; }
    public JsonElement? Result { get; init; }
    public short Progress { get; init; }
    public string? Stage { get; init; }
    public long? ProcessedItems { get; init; }
    public long? TotalItems { get; init; }
    public required JsonElement Metrics { get; init; }
    public string? Error { get; init; }
    public int Attempt { get; init; }
    public int MaxAttempts { get; init; }
    public DateTimeOffset RunAt { get; init; }
    public int TimeoutSeconds { get; init; }
    public DateTimeOffset? CancelRequestedAt { get; init; }
    public string? LeaseOwner { get; init; }
    public DateTimeOffset? LeaseExpiresAt { get; init; }
    public string? IdempotencyKey { get; init; }
    public long Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The schedule that made the job (a tick or a run now); null for a submit, or once the schedule is deleted.</summary>
    public Guid? ScheduleId { get; init; }

    /// <summary>The fencing token of the attempt this row describes (docs/design.md, "Leases and fencing").</summary>
    public JobLease Lease => new(Id, LeaseOwner ?? throw new InvalidOperationException($"Job {Id} holds no lease."), Attempt);
}
