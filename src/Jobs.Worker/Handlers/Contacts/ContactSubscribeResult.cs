namespace Jobs.Worker.Handlers.Contacts;

/// <summary>
/// The result stored on a <c>contacts.subscribe</c> job: every contact of the payload in exactly one group, in the
/// payload's order. A rerun after a crash reports the contacts its earlier attempt enrolled as succeeded.
/// </summary>
public sealed record ContactSubscribeResult(
    Guid SequenceId,
    string SequenceName,
    int Total,
    int BatchSize,
    IReadOnlyList<Guid> Succeeded,
    IReadOnlyList<BlockedContact> Blocked,
    IReadOnlyList<FailedContact> Failed);
