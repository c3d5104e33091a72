using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;

namespace Jobs.AppHost.Development;

/// <summary>
/// The invoicing sample (samples/Invoicing, docs/extending.md) beside the platform while running: a team's own worker
/// hosting its job type, and its billing service submitting through Jobs.Client with the demo workspace's key, with
/// a dashboard button that sends it an invoice. Never published: a deployment ships its own teams' services.
/// </summary>
public static class InvoicingSample
{
    private const int SampleLines = 400;

    public static void AddInvoicingSample(
        this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> api,
        IResourceBuilder<IResourceWithConnectionString> jobsdb, IResourceBuilder<IResourceWithConnectionString> redis, DemoAccount demo)
    {
        builder.AddProject<Projects.Invoicing_Worker>("invoicing-worker", launchProfileName: null)
            .WithJobsServiceDefaults()
            .WithHttpEndpoint()
            .WithReference(jobsdb).WithReference(redis)
            .WaitFor(api)
            .WithHttpHealthCheck("/health");

        builder.AddProject<Projects.Billing>("billing", launchProfileName: null)
            .WithJobsServiceDefaults()
            .WithHttpEndpoint()
            .WithReference(api).WaitFor(api)
            .WithEnvironment("Jobs__Client__ApiKey", demo.ApiKey)
            .WithHttpHealthCheck("/health")
            .WithHttpCommand("/invoices", "Send an invoice", commandName: "send-invoice", commandOptions: new HttpCommandOptions
            {
                Method = HttpMethod.Post,
                Description = $"Sends the billing service an invoice of {SampleLines} lines; it submits an invoice.render job through Jobs.Client and logs its progress.",
                IconName = "DocumentPdf",
                PrepareRequest = context =>
                {
                    var number = $"INV-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
                    context.Request.Content = JsonContent.Create(new
                    {
                        number,
                        billTo = "Contoso Ltd\nAccounts payable\n1 Harbour Street\nDublin",
                        currency = "EUR",
                        taxRatePercent = 23,
                        lines = Enumerable.Range(1, SampleLines).Select(i => new { description = $"Support hours, week {i}", quantity = 1 + i % 4, unitPrice = 85.5m }),
                    });
                    return Task.CompletedTask;
                },
                GetCommandResult = async context =>
                {
                    var body = await context.Response.Content.ReadAsStringAsync(context.CancellationToken);
                    return context.Response.IsSuccessStatusCode
                        ? CommandResults.Success("Invoice submitted: follow it in the UI or in billing's console log", body, CommandResultFormat.Json)
                        : CommandResults.Failure($"The billing service answered {(int)context.Response.StatusCode}", body, CommandResultFormat.Json);
                },
            });
    }
}
