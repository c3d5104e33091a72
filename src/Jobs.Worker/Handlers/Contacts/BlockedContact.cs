namespace Jobs.Worker.Handlers.Contacts;

/// <summary>A contact that was not subscribed, with one of <see cref="BlockReasons"/>.</summary>
public sealed record BlockedContact(Guid ContactId, string Reason);
