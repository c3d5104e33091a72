namespace Jobs.Worker.Handlers.Contacts;

/// <summary>The payload of a <c>contacts.delete</c> job; the catalog's schema has validated it at submit.</summary>
public sealed record ContactDeletePayload(IReadOnlyList<Guid> ContactIds);
