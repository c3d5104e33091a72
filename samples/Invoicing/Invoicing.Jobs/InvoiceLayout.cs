using System.Globalization;
using Invoicing.Contracts;

namespace Invoicing.Jobs;

/// <summary>
/// Where an invoice's parts go on A4 pages: the heading and the billed party on the first page, the lines as a table
/// continued over as many pages as they need (its header repeated), the totals after the last line, and "Page i of n"
/// at the foot of each. Planned before anything is drawn, so the document knows its page count up front.
/// </summary>
internal sealed class InvoiceLayout
{
    private const double Left = 50;
    private const double Right = PdfPage.Width - 50;
    private const double RowHeight = 14;
    private const double Bottom = 70;
    private const double FirstPageTableTop = 560;
    private const double NextPagesTableTop = 780;
    private const int TotalsRows = 4;
    private const int MaxDescription = 48;
    private const int MaxBillToLines = 8;

    private static readonly CultureInfo Figures = CultureInfo.InvariantCulture;

    private readonly InvoicePayload invoice;
    private readonly PricedInvoice priced;
    private readonly DateOnly issued;
    private readonly List<(int First, int Count)> pages = [];

    public InvoiceLayout(InvoicePayload invoice, PricedInvoice priced, DateOnly issued)
    {
        this.invoice = invoice;
        this.priced = priced;
        this.issued = issued;
        var next = 0;
        while (next < invoice.Lines.Count)
        {
            var count = Math.Min(RowsOn(pages.Count), invoice.Lines.Count - next);
            pages.Add((next, count));
            next += count;
        }

        // The totals stay with the table: a page of their own when the last page has no room left for them.
        if (pages[^1].Count + TotalsRows > RowsOn(pages.Count - 1))
        {
            pages.Add((invoice.Lines.Count, 0));
        }
    }

    public int PageCount => pages.Count;

    public PdfPage Draw(int index)
    {
        var page = new PdfPage();
        var y = index == 0 ? DrawHeading(page) : NextPagesTableTop;
        y = DrawTableHeader(page, y);
        var (first, count) = pages[index];
        for (var line = first; line < first + count; line++)
        {
            var item = invoice.Lines[line];
            page.Text(PdfFont.Helvetica, 9, Left, y, Shorten(item.Description, MaxDescription))
                .FigureRight(9, 350, y, item.Quantity.ToString("#,0.###", Figures))
                .FigureRight(9, 445, y, Money(item.UnitPrice))
                .FigureRight(9, Right, y, Money(priced.Amounts[line]));
            y -= RowHeight;
        }

        if (index == pages.Count - 1)
        {
            DrawTotals(page, y);
        }

        page.Rule(Left, Right, 50, 0.25)
            .Text(PdfFont.Helvetica, 8, Left, 38, $"Invoice {invoice.Number}")
            .Text(PdfFont.Helvetica, 8, Right - 60, 38, $"Page {index + 1} of {pages.Count}");
        return page;
    }

    private static int RowsOn(int page) => (int)(((page == 0 ? FirstPageTableTop : NextPagesTableTop) - RowHeight - Bottom) / RowHeight);

    private double DrawHeading(PdfPage page)
    {
        page.Text(PdfFont.HelveticaBold, 22, Left, 770, "INVOICE")
            .Text(PdfFont.Helvetica, 10, 360, 776, $"Number   {invoice.Number}")
            .Text(PdfFont.Helvetica, 10, 360, 762, $"Issued    {issued:yyyy-MM-dd}")
            .Text(PdfFont.Helvetica, 10, 360, 748, $"Due        {issued.AddDays(invoice.DueInDays):yyyy-MM-dd}")
            .Text(PdfFont.HelveticaBold, 10, Left, 720, "Bill to");
        var y = 706.0;
        foreach (var line in invoice.BillTo.Split('\n', StringSplitOptions.TrimEntries).Take(MaxBillToLines))
        {
            page.Text(PdfFont.Helvetica, 10, Left, y, Shorten(line, 70));
            y -= 13;
        }

        page.Text(PdfFont.Helvetica, 9, Left, FirstPageTableTop + 24, $"Amounts in {invoice.Currency}.");
        return FirstPageTableTop;
    }

    private static double DrawTableHeader(PdfPage page, double y)
    {
        page.Text(PdfFont.HelveticaBold, 9, Left, y, "Description")
            .Text(PdfFont.HelveticaBold, 9, 318, y, "Quantity")
            .Text(PdfFont.HelveticaBold, 9, 400, y, "Unit price")
            .Text(PdfFont.HelveticaBold, 9, Right - 38, y, "Amount")
            .Rule(Left, Right, y - 4);
        return y - RowHeight - 2;
    }

    private void DrawTotals(PdfPage page, double y)
    {
        page.Rule(300, Right, y + 8);
        y -= 4;
        page.Text(PdfFont.Helvetica, 9, 300, y, "Subtotal").FigureRight(9, Right, y, Money(priced.Subtotal));
        y -= RowHeight;
        page.Text(PdfFont.Helvetica, 9, 300, y, $"Tax {invoice.TaxRatePercent.ToString("0.##", Figures)} %").FigureRight(9, Right, y, Money(priced.Tax));
        y -= RowHeight;
        page.Text(PdfFont.HelveticaBold, 10, 300, y, $"Total {invoice.Currency}").FigureRight(10, Right, y, Money(priced.Total));
    }

    private static string Money(decimal amount) => amount.ToString("#,0.00", Figures);

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 3)] + "...";
}
