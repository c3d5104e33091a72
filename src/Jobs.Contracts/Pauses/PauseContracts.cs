namespace Jobs.Contracts.Pauses;

/// <summary>
/// A paused queue or job type of the workspace: its jobs stay pending, and none of them is started until it is resumed.
/// <c>pausedBy</c> is the user who paused it (null once that user is gone), <c>pausedByEmail</c> their email.
/// </summary>
public sealed record PauseResponse(string Name, DateTimeOffset PausedAt, Guid? PausedBy, string? PausedByEmail);

/// <summary>The workspace's paused queues and job types, each sorted by name.</summary>
public sealed record PauseListResponse(IReadOnlyList<PauseResponse> Queues, IReadOnlyList<PauseResponse> Types);
