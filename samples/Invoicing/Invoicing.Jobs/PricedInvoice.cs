using Invoicing.Contracts;

namespace Invoicing.Jobs;

/// <summary>
/// An invoice's figures: each line's amount rounded to cents, their sum, the tax on the sum, and the total. Cents
/// are rounded half away from zero, once per line and once for the tax, as they are printed.
/// </summary>
internal sealed record PricedInvoice(IReadOnlyList<decimal> Amounts, decimal Subtotal, decimal Tax, decimal Total)
{
    public static decimal LineAmount(InvoiceLine line) => Cents(line.Quantity * line.UnitPrice);

    public static PricedInvoice Of(IReadOnlyList<decimal> amounts, decimal taxRatePercent)
    {
        var subtotal = amounts.Sum();
        var tax = Cents(subtotal * taxRatePercent / 100m);
        return new PricedInvoice(amounts, subtotal, tax, subtotal + tax);
    }

    private static decimal Cents(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);
}
