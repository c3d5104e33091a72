using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Invoicing.Jobs;

/// <summary>
/// Writes a text-only PDF 1.4 document page by page to a stream that need not seek: the three standard fonts
/// (Helvetica, Helvetica-Bold, Courier; no embedding), compressed content streams, and the cross-reference table the
/// format requires, with every object's byte offset counted as it is written. Enough for an invoice; not a general
/// PDF library.
/// </summary>
internal sealed class PdfWriter(Stream output, int pageCount)
{
    // Object numbers: the fixed objects first, then each page and its content stream.
    private const int CatalogObject = 1;
    private const int PagesObject = 2;
    private const int FontsFirstObject = 3;
    private const int InfoObject = 6;
    private const int FirstPageObject = 7;

    private static readonly string[] FontNames = ["Helvetica", "Helvetica-Bold", "Courier"];

    private readonly long[] offsets = new long[FirstPageObject + 2 * pageCount];
    private long position;
    private int pagesWritten;

    /// <summary>Writes the header and the document's fixed objects; call once, first.</summary>
    public async Task BeginAsync(string title, DateTimeOffset created, CancellationToken cancellationToken)
    {
        // The second line's bytes above 127 tell transfer tools the file is binary (PDF 1.4, 7.5.2).
        await WriteAsync("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n", cancellationToken);
        await ObjectAsync(CatalogObject, $"<< /Type /Catalog /Pages {PagesObject} 0 R >>", cancellationToken);
        var kids = string.Join(' ', Enumerable.Range(0, pageCount).Select(page => $"{PageObject(page)} 0 R"));
        await ObjectAsync(PagesObject, $"<< /Type /Pages /Kids [{kids}] /Count {pageCount} /MediaBox [0 0 {PdfPage.Width} {PdfPage.Height}] >>", cancellationToken);
        for (var font = 0; font < FontNames.Length; font++)
        {
            await ObjectAsync(FontsFirstObject + font, $"<< /Type /Font /Subtype /Type1 /BaseFont /{FontNames[font]} /Encoding /WinAnsiEncoding >>", cancellationToken);
        }

        await ObjectAsync(InfoObject, $"<< /Title {PdfPage.Literal(title)} /Producer (Jobs invoicing sample) /CreationDate (D:{created.UtcDateTime:yyyyMMddHHmmss}Z) >>", cancellationToken);
    }

    /// <summary>Writes the next page; pages are written in order, <c>pageCount</c> of them.</summary>
    public async Task WritePageAsync(PdfPage page, CancellationToken cancellationToken)
    {
        if (pagesWritten == pageCount)
        {
            throw new InvalidOperationException($"The document was planned with {pageCount} pages.");
        }

        var pageObject = PageObject(pagesWritten);
        var fonts = string.Join(' ', FontNames.Select((_, font) => $"/F{font + 1} {FontsFirstObject + font} 0 R"));
        await ObjectAsync(pageObject, $"<< /Type /Page /Parent {PagesObject} 0 R /Resources << /Font << {fonts} >> >> /Contents {pageObject + 1} 0 R >>", cancellationToken);

        var compressed = Compress(Encoding.Latin1.GetBytes(page.Operators));
        offsets[pageObject + 1] = position;
        await WriteAsync($"{pageObject + 1} 0 obj\n<< /Length {compressed.Length} /Filter /FlateDecode >>\nstream\n", cancellationToken);
        await output.WriteAsync(compressed, cancellationToken);
        position += compressed.Length;
        await WriteAsync("\nendstream\nendobj\n", cancellationToken);
        pagesWritten++;
    }

    /// <summary>Writes the cross-reference table and the trailer; the document is complete after it.</summary>
    public async Task EndAsync(CancellationToken cancellationToken)
    {
        if (pagesWritten != pageCount)
        {
            throw new InvalidOperationException($"{pagesWritten} of {pageCount} pages were written.");
        }

        var xref = position;
        var table = new StringBuilder($"xref\n0 {offsets.Length}\n0000000000 65535 f \n");
        foreach (var offset in offsets.Skip(1))
        {
            // Each entry is exactly 20 bytes, its end of line included (PDF 1.4, 3.4.3).
            table.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        table.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {offsets.Length} /Root {CatalogObject} 0 R /Info {InfoObject} 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        await WriteAsync(table.ToString(), cancellationToken);
    }

    private static int PageObject(int page) => FirstPageObject + 2 * page;

    private static byte[] Compress(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.Optimal))
        {
            zlib.Write(content);
        }

        return buffer.ToArray();
    }

    private async Task ObjectAsync(int number, string body, CancellationToken cancellationToken)
    {
        offsets[number] = position;
        await WriteAsync($"{number} 0 obj\n{body}\nendobj\n", cancellationToken);
    }

    private async Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        await output.WriteAsync(bytes, cancellationToken);
        position += bytes.Length;
    }
}

/// <summary>
/// One page's drawing, in points from the bottom left of an A4 page: text in the three fonts and horizontal rules.
/// Text outside Latin-1 prints as <c>?</c>, as the standard fonts' encoding has no other characters.
/// </summary>
internal sealed class PdfPage
{
    public const int Width = 595;
    public const int Height = 842;

    /// <summary>The advance width of every Courier character, as a fraction of the font size.</summary>
    private const double CourierAdvance = 0.6;

    private readonly StringBuilder operators = new();

    public string Operators => operators.ToString();

    public PdfPage Text(PdfFont font, double size, double x, double y, string text)
    {
        operators.Append(CultureInfo.InvariantCulture, $"BT /F{(int)font} {size:0.##} Tf {x:0.##} {y:0.##} Td {Literal(text)} Tj ET\n");
        return this;
    }

    /// <summary>Courier text ending at <paramref name="right"/>: its width is exact, so columns of figures line up.</summary>
    public PdfPage FigureRight(double size, double right, double y, string text) =>
        Text(PdfFont.Courier, size, right - text.Length * CourierAdvance * size, y, text);

    public PdfPage Rule(double x1, double x2, double y, double width = 0.5)
    {
        operators.Append(CultureInfo.InvariantCulture, $"{width:0.##} w {x1:0.##} {y:0.##} m {x2:0.##} {y:0.##} l S\n");
        return this;
    }

    /// <summary>A PDF string literal: backslash, parentheses and line breaks escaped, other characters as Latin-1.</summary>
    public static string Literal(string text)
    {
        var literal = new StringBuilder("(", text.Length + 2);
        foreach (var c in text)
        {
            literal.Append(c switch
            {
                '\\' or '(' or ')' => $"\\{c}",
                '\r' or '\n' or '\t' => " ",
                > '\u00ff' or < ' ' => "?",
                _ => c.ToString(),
            });
        }

        return literal.Append(')').ToString();
    }
}

/// <summary>The fonts a <see cref="PdfPage"/> can use, numbered as the page's resources name them.</summary>
internal enum PdfFont
{
    Helvetica = 1,
    HelveticaBold = 2,
    Courier = 3,
}
