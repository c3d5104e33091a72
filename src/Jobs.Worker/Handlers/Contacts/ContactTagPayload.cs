namespace Jobs.Worker.Handlers.Contacts;

/// <summary>The payload of a <c>contacts.tag</c> job; the catalog's schema has validated it at submit.</summary>
public sealed record ContactTagPayload(IReadOnlyList<Guid> ContactIds, IReadOnlyList<string> Tags);
