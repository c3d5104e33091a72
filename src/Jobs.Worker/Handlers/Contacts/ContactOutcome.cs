namespace Jobs.Worker.Handlers.Contacts;

/// <summary>
/// What subscribing one contact came to: <see cref="Succeeded"/>, <see cref="Blocked"/> with a reason of
/// <see cref="BlockReasons"/>, or <see cref="Failed"/> with the error.
/// </summary>
public sealed record ContactOutcome(Guid ContactId, string Status, string? Detail)
{
    public const string Succeeded = "succeeded";
    public const string Blocked = "blocked";
    public const string Failed = "failed";

    public static ContactOutcome Success(Guid contactId) => new(contactId, Succeeded, null);

    public static ContactOutcome Block(Guid contactId, string reason) => new(contactId, Blocked, reason);

    public static ContactOutcome Failure(Guid contactId, string error) => new(contactId, Failed, error);
}
