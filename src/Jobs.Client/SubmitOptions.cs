namespace Jobs.Client;

/// <summary>
/// What a submit may ask beyond the type and payload; anything left null takes the job type's default (docs/api.md,
/// "Submit a job").
/// </summary>
public sealed record SubmitOptions
{
    /// <summary>Higher runs first within the queue.</summary>
    public int? Priority { get; init; }

    /// <summary>Not before this moment.</summary>
    public DateTimeOffset? RunAt { get; init; }

    public int? MaxAttempts { get; init; }

    public int? TimeoutSeconds { get; init; }

    /// <summary>
    /// Sent as the <c>Idempotency-Key</c> header: the same key with the same request returns the job it made (its
    /// <c>replayed</c> is true) instead of a second one, so a submit can be retried safely after a timeout.
    /// </summary>
    public string? IdempotencyKey { get; init; }
}
