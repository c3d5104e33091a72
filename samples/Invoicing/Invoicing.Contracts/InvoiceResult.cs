namespace Invoicing.Contracts;

/// <summary>
/// The result of an <c>invoice.render</c> job: the totals as printed, and the name of the PDF stored with the job
/// (read with <c>JobsClient.OpenJobFileAsync</c>, or <c>GET /api/jobs/{id}/files/{file}</c>).
/// </summary>
public sealed record InvoiceResult(string Number, string Currency, decimal Subtotal, decimal Tax, decimal Total, int Pages, string File, long Bytes);
