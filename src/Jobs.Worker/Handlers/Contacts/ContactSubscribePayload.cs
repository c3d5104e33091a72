namespace Jobs.Worker.Handlers.Contacts;

/// <summary>The payload of a <c>contacts.subscribe</c> job; the catalog's schema has validated it at submit.</summary>
public sealed record ContactSubscribePayload(Guid SequenceId, IReadOnlyList<Guid> ContactIds);
