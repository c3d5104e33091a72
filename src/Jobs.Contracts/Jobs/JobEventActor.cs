namespace Jobs.Contracts.Jobs;

/// <summary>
/// The <c>actor</c> of a <c>job_events</c> row, as recorded when the event was written: the user, and the key
/// (<c>apiKeyKind</c> <c>key</c>) or UI session (<c>session</c>) that made the request.
/// </summary>
public sealed record JobEventActor(
    Guid UserId,
    string? Email,
    Guid? ApiKeyId,
    string? ApiKeyKind,
    string? ApiKeyName,
    string? ApiKeyPrefix);
