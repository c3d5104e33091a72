using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Invoicing.Contracts;

/// <summary>
/// The payload of an <c>invoice.render</c> job. The attributes are its contract: the Jobs API refuses a payload that
/// breaks them, naming the field, before any worker sees it (the schema is generated from this record).
/// </summary>
public sealed record InvoicePayload(
    [Description("The invoice's number, printed on it and naming its file: letters, digits and dashes.")]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9-]{0,39}$", ErrorMessage = "must be 1 to 40 letters, digits and dashes, starting with a letter or digit.")]
    string Number,
    [Description("Who is billed, as printed: a name, then address lines.")]
    [StringLength(500, MinimumLength = 1)]
    string BillTo,
    [Description("The ISO 4217 code of the currency the prices are in, such as EUR.")]
    [RegularExpression("^[A-Z]{3}$", ErrorMessage = "must be a three-letter currency code in capitals, such as EUR.")]
    string Currency,
    [Description("What is billed, one entry per line of the invoice.")]
    [MinLength(1), MaxLength(InvoicePayload.MaxLines)]
    IReadOnlyList<InvoiceLine> Lines,
    [Description("The tax added to the lines' sum, in percent.")]
    [Range(0, 100)]
    decimal TaxRatePercent = 0,
    [Description("Days from the issue date to the due date.")]
    [Range(0, 365)]
    int DueInDays = 30)
{
    public const int MaxLines = 5_000;
}

/// <summary>One line of an invoice: what, how many, at what price each.</summary>
public sealed record InvoiceLine(
    [Description("What is billed.")]
    [StringLength(120, MinimumLength = 1)]
    string Description,
    [Description("How many units.")]
    [Range(0.001, 1_000_000)]
    decimal Quantity,
    [Description("The price of one unit, before tax.")]
    [Range(0, 1_000_000)]
    decimal UnitPrice);
