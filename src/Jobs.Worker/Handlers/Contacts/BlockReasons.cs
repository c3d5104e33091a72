namespace Jobs.Worker.Handlers.Contacts;

/// <summary>Why a contact was not subscribed, as the result and the UI show it. The first that applies wins.</summary>
public static class BlockReasons
{
    /// <summary>No such contact in the job's workspace (unknown, deleted, or another workspace's).</summary>
    public const string NotFound = "not_found";

    /// <summary>Enrolled in the sequence already, by another job or otherwise.</summary>
    public const string AlreadyEnrolled = "already_enrolled";

    /// <summary>The contact unsubscribed.</summary>
    public const string OptedOut = "opted_out";

    /// <summary>The workspace marked the contact as not to be contacted.</summary>
    public const string DoNotContact = "do_not_contact";
}
