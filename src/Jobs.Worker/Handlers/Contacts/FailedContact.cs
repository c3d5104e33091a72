namespace Jobs.Worker.Handlers.Contacts;

/// <summary>A contact whose enrollment the database rejected, with the error.</summary>
public sealed record FailedContact(Guid ContactId, string Error);
