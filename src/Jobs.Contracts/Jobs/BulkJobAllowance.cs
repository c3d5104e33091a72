namespace Jobs.Contracts.Jobs;

/// <summary>
/// A user's bulk jobs in the sliding hour: the workspace's limit per user, how many of the last hour count, how many
/// more may start now, and when the oldest counted one leaves the hour (null when none counts).
/// </summary>
public sealed record BulkJobAllowance(int Limit, int Used, int Remaining, DateTimeOffset? NextFreeAt);
