namespace Jobs.Worker.Integrations.Email;

/// <summary>The verdicts stored with a lead's email (<c>leads.email_status</c>).</summary>
public static class EmailStatus
{
    /// <summary>The mailbox exists and accepts mail.</summary>
    public const string Deliverable = "deliverable";

    /// <summary>Cannot be told: a catch-all domain, or a server that would not say.</summary>
    public const string Risky = "risky";

    /// <summary>The mailbox does not exist, or is a disposable address.</summary>
    public const string Undeliverable = "undeliverable";
}
