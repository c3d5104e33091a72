namespace Jobs.Worker.Handlers.Contacts;

/// <summary>
/// The result stored on a <c>contacts.tag</c> job: the tags as stored (trimmed, lower-cased), how many contacts now
/// carry them, and the ids the workspace did not have.
/// </summary>
public sealed record ContactTagResult(IReadOnlyList<string> Tags, int Total, int Tagged, IReadOnlyList<Guid> NotFound);
