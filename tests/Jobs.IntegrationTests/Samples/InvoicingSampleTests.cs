using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Billing;
using Invoicing.Contracts;
using Invoicing.Worker;
using Jobs.Client;
using Jobs.Contracts.Jobs;
using Jobs.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using JobsClient = Jobs.Client.JobsClient;

namespace Jobs.IntegrationTests.Samples;

/// <summary>
/// The invoicing sample (samples/Invoicing) end to end, as docs/extending.md walks through it: the team's own
/// worker publishes <c>invoice.render</c> and serves its queue, their billing service submits invoices through
/// Jobs.Client and streams the PDF back, and the job reads like any shipped type's.
/// </summary>
public sealed class InvoicingSampleTests(Servers servers)
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    [Fact]
    public async Task AnInvoiceSentToTheBillingService_IsRenderedByTheTeamsWorker_AsAPdfWithItsTotals_AndSentTwiceRendersOnce()
    {
        // One shipped worker too: it serves the shipped types' queues and never takes an invoice.
        await using var cluster = await TestCluster.StartAsync(servers, workers: 1);
        cluster.StartService<InvoicingWorkerEntryPoint>();
        await using var billing = StartBilling(cluster);
        using var http = billing.CreateClient();
        var jobs = ClientOf(cluster);
        var type = await PublishedTypeAsync(cluster);
        (type.Queue, type.Display!.Title).ShouldBe(("invoices", "Invoice PDF"));
        type.Display.Stages.Select(s => s.Name).ShouldBe(["pricing", "rendering", "storing"]);

        var invoice = Invoice("INV-2026-0042", lines: 120);
        var created = await http.PostAsJsonAsync("/invoices", invoice, Json);
        created.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var accepted = (await created.Content.ReadFromJsonAsync<InvoiceAccepted>(Json))!;
        created.Headers.Location!.ToString().ShouldBe($"/invoices/{accepted.JobId}");
        var again = (await (await http.PostAsJsonAsync("/invoices", invoice, Json)).Content.ReadFromJsonAsync<InvoiceAccepted>(Json))!;
        (again.JobId, again.Replayed).ShouldBe((accepted.JobId, true));

        var updates = await jobs.WatchAsync(accepted.JobId).ToListAsync();
        updates[^1].Status.ShouldBe(JobStatus.Completed, updates[^1].Error);
        var stages = (await jobs.TimelineAsync(accepted.JobId)).Where(e => e.Kind == JobEventKind.Stage).Select(e => e.Stage);
        stages.ShouldBe(["pricing", "rendering", "storing"]);

        var state = (await http.GetFromJsonAsync<InvoiceState>($"/invoices/{accepted.JobId}", Json))!;
        state.Status.ShouldBe(JobStatus.Completed);
        var subtotal = invoice.Lines.Sum(l => Math.Round(l.Quantity * l.UnitPrice, 2, MidpointRounding.AwayFromZero));
        var tax = Math.Round(subtotal * 0.19m, 2, MidpointRounding.AwayFromZero);
        var result = state.Invoice.ShouldNotBeNull();
        (result.Subtotal, result.Tax, result.Total, result.File).ShouldBe((subtotal, tax, subtotal + tax, "invoice-INV-2026-0042.pdf"));
        // 120 lines: 34 under the first page's heading, 49 on the second, 37 and the totals on the third.
        result.Pages.ShouldBe(3);

        using var pdf = await http.GetAsync($"/invoices/{accepted.JobId}/pdf");
        pdf.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        var bytes = await pdf.Content.ReadAsByteArrayAsync();
        bytes.LongLength.ShouldBe(result.Bytes);
        var text = ReadPdf(bytes, expectedPages: 3);
        text.ShouldContain("(INVOICE)");
        text.ShouldContain("(Number   INV-2026-0042)");
        text.ShouldContain($"({(subtotal + tax).ToString("#,0.00", System.Globalization.CultureInfo.InvariantCulture)})");
        text.ShouldContain("(Page 3 of 3)");
    }

    [Fact]
    public async Task ABadInvoice_IsRefusedByTheJobsApiBeforeAnyWorkerSeesIt_WithItsFieldsNamed()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        cluster.StartService<InvoicingWorkerEntryPoint>();
        await using var billing = StartBilling(cluster);
        using var http = billing.CreateClient();
        await PublishedTypeAsync(cluster);

        var bad = Invoice("INV 1", lines: 1) with { Currency = "euro", Lines = [new InvoiceLine("", -1, 5)] };
        using var refused = await http.PostAsJsonAsync("/invoices", bad, Json);

        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        errors.ShouldContain("payload.number");
        errors.ShouldContain("payload.currency");
        errors.ShouldContain("payload.lines[0].description");
        errors.ShouldContain("payload.lines[0].quantity");
        (await ClientOf(cluster).ListAsync(type: InvoiceJob.Type)).Items.ShouldBeEmpty();
    }

    /// <summary>The invoice type's catalog entry, once the team's worker has published it.</summary>
    private static async Task<JobTypeResponse> PublishedTypeAsync(TestCluster cluster)
    {
        JobTypeResponse? type = null;
        await Eventually.TrueAsync(
            async () => (type = (await cluster.Client.GetFromJsonAsync<JobTypeResponse[]>("/api/job-types", Json))!.SingleOrDefault(t => t.Name == InvoiceJob.Type)) is not null,
            "the invoicing worker to publish its type");
        return type!;
    }

    private static InvoicePayload Invoice(string number, int lines) => new(
        number,
        "Contoso Ltd\nAccounts payable\n1 Harbour Street\nDublin",
        "EUR",
        [.. Enumerable.Range(1, lines).Select(i => new InvoiceLine($"Consulting, day {i}", i % 3 + 0.5m, 99.99m + i))],
        TaxRatePercent: 19);

    /// <summary>The billing service, configured as an AppHost's reference to the API and the team's key would.</summary>
    private static ServiceFactory<BillingEntryPoint> StartBilling(TestCluster cluster) => ServiceFactory<BillingEntryPoint>.Start(new Dictionary<string, string?>
    {
        ["ConnectionStrings:api"] = $"Endpoint={cluster.Client.BaseAddress!.GetLeftPart(UriPartial.Authority)};ApiKey={KeyOf(cluster)}",
        ["Logging:LogLevel:Default"] = "Warning",
    });

    private static JobsClient ClientOf(TestCluster cluster) =>
        new ServiceCollection().AddJobsClient(cluster.Client.BaseAddress!, KeyOf(cluster)).BuildServiceProvider().GetRequiredService<JobsClient>();

    private static string KeyOf(TestCluster cluster) => cluster.Client.DefaultRequestHeaders.GetValues(JobsClient.ApiKeyHeader).Single();

    /// <summary>
    /// Checks the file's structure as a reader would find it (the header, the end marker, <c>startxref</c> pointing at
    /// the cross-reference table, every entry of that table at its object) and answers the pages' text operators.
    /// </summary>
    private static string ReadPdf(byte[] bytes, int expectedPages)
    {
        var file = Encoding.Latin1.GetString(bytes);
        file.ShouldStartWith("%PDF-1.4\n");
        file.ShouldEndWith("%%EOF\n");
        var startxref = file.LastIndexOf("startxref\n", StringComparison.Ordinal);
        var xref = int.Parse(file[(startxref + 10)..file.IndexOf('\n', startxref + 10)], System.Globalization.CultureInfo.InvariantCulture);
        file[xref..].ShouldStartWith("xref\n0 ");
        var entries = file[xref..].Split('\n').Skip(3).TakeWhile(line => line.EndsWith(" n ", StringComparison.Ordinal)).ToList();
        for (var number = 1; number <= entries.Count; number++)
        {
            var offset = int.Parse(entries[number - 1][..10], System.Globalization.CultureInfo.InvariantCulture);
            file[offset..].ShouldStartWith($"{number} 0 obj\n");
        }

        file.Split("/Type /Page ").Length.ShouldBe(expectedPages + 1);
        var text = new StringBuilder();
        for (var at = file.IndexOf("stream\n", StringComparison.Ordinal); at >= 0; at = file.IndexOf("stream\n", at + 1, StringComparison.Ordinal))
        {
            if (file[..at].EndsWith("end", StringComparison.Ordinal))
            {
                continue;
            }

            var start = at + "stream\n".Length;
            var end = file.IndexOf("\nendstream", start, StringComparison.Ordinal);
            using var zlib = new ZLibStream(new MemoryStream(bytes, start, end - start), CompressionMode.Decompress);
            using var reader = new StreamReader(zlib, Encoding.Latin1);
            text.Append(reader.ReadToEnd());
        }

        return text.ToString();
    }
}
