using Invoicing.Contracts;
using Jobs.Core.Engine.Catalog.Declarations;
using Jobs.Core.Files;
using Jobs.Worker.Processing;

namespace Invoicing.Jobs;

/// <summary>
/// <c>invoice.render</c>: prices an invoice's lines and renders it as a PDF stored with the job
/// (<c>invoice-{number}.pdf</c>). Its own queue, <c>invoices</c>, is served by the invoicing team's worker only.
/// <para>
/// At-least-once (docs/extending.md, "Write for at-least-once"): the PDF is written as it is rendered but appears only
/// when the attempt commits it, fenced by its lease; a retry renders the same document again (the issue date is the
/// job's creation date, not the clock's) and replaces the earlier attempt's file, so a crash leaves no partial file.
/// </para>
/// </summary>
[JobType(TypeName, Title = "Invoice PDF", Queue = QueueName, Items = "lines", MaxAttempts = 5, TimeoutSeconds = 300,
    Description = "Prices an invoice's lines and renders it as a PDF stored with the job (the invoicing sample, samples/Invoicing).")]
[JobStage(Pricing, "Pricing the lines…", During = "pricing", Items = "lines")]
[JobStage(Rendering, "Rendering the pages…", During = "rendering", Items = "pages")]
[JobStage(Storing, "Storing the PDF…", During = "storing")]
[JobMetric("pages", "Pages")]
[JobMetric("total", "Invoice total")]
[JobMetric("bytes", "PDF size (bytes)")]
public sealed class RenderInvoiceHandler(IFileStore files, ILogger<RenderInvoiceHandler> logger) : JobHandler<InvoicePayload, InvoiceResult>
{
    public const string TypeName = InvoiceJob.Type;
    public const string QueueName = "invoices";
    public const string Pricing = "pricing";
    public const string Rendering = "rendering";
    public const string Storing = "storing";
    public const string ContentType = "application/pdf";

    /// <summary>Lines priced between two progress reports; the worker sends at most a few reports a second anyway.</summary>
    private const int PricingReportEvery = 500;

    protected override async Task<InvoiceResult> HandleAsync(JobContext context, InvoicePayload invoice, CancellationToken cancellationToken)
    {
        var lines = invoice.Lines.Count;
        await context.ReportAsync(percent: 0, stage: Pricing, processedItems: 0, totalItems: lines);
        var amounts = new decimal[lines];
        for (var line = 0; line < lines; line++)
        {
            amounts[line] = PricedInvoice.LineAmount(invoice.Lines[line]);
            if ((line + 1) % PricingReportEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await context.ReportAsync(percent: (line + 1) * 10 / lines, processedItems: line + 1);
            }
        }

        var priced = PricedInvoice.Of(amounts, invoice.TaxRatePercent);
        var layout = new InvoiceLayout(invoice, priced, DateOnly.FromDateTime(context.Job.CreatedAt.UtcDateTime));
        await context.ReportAsync(percent: 10, stage: Rendering, processedItems: 0, totalItems: layout.PageCount);

        await using var content = await files.ContentCreateAsync(cancellationToken);
        var pdf = new PdfWriter(content, layout.PageCount);
        await pdf.BeginAsync($"Invoice {invoice.Number}", context.Job.CreatedAt, cancellationToken);
        for (var page = 0; page < layout.PageCount; page++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await pdf.WritePageAsync(layout.Draw(page), cancellationToken);
            await context.ReportAsync(percent: 10 + (page + 1) * 85 / layout.PageCount, processedItems: page + 1);
        }

        await pdf.EndAsync(cancellationToken);

        // The storing stage counts no items of its own: the job ends counting its lines, all done.
        await context.ReportAsync(percent: 95, stage: Storing, processedItems: lines, totalItems: lines);
        var name = InvoiceJob.FileNameOf(invoice.Number);
        var file = await files.JobFileUpsertIfRunningAsync(content, new JobFileUpsertParams(context.Job.Lease, context.Job.WorkspaceId, name, ContentType), cancellationToken)
            ?? throw FencedTransaction.LeaseLost(context.Job.Id);
        context.SetMetric("pages", layout.PageCount);
        context.SetMetric("total", priced.Total);
        context.SetMetric("bytes", file.Size);
        await context.ReportAsync(percent: 100, message: $"{name}: {layout.PageCount} pages, {invoice.Currency} {priced.Total:#,0.00}");
        logger.LogInformation("Job {JobId}: invoice {Number} rendered, {Pages} pages, {Bytes} bytes", context.Job.Id, invoice.Number, layout.PageCount, file.Size);

        return new InvoiceResult(invoice.Number, invoice.Currency, priced.Subtotal, priced.Tax, priced.Total, layout.PageCount, name, file.Size);
    }
}
