namespace Invoicing.Contracts;

/// <summary>The invoice job type as clients submit it.</summary>
public static class InvoiceJob
{
    /// <summary>The job type's name: a contract, never renamed.</summary>
    public const string Type = "invoice.render";

    /// <summary>The name of the PDF the job stores for an invoice number.</summary>
    public static string FileNameOf(string number) => $"invoice-{number}.pdf";

    /// <summary>The idempotency key of an invoice's job: one job per invoice number, however often it is sent.</summary>
    public static string IdempotencyKeyOf(string number) => $"invoice-{number}";
}
