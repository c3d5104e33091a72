using Jobs.Worker.Processing;

namespace Invoicing.Jobs;

/// <summary>The invoicing team's job types, registered in one line by the worker that runs them.</summary>
public static class InvoicingJobs
{
    public static IServiceCollection AddInvoicingJobs(this IServiceCollection services) => services
        .AddJobHandler<RenderInvoiceHandler>();
}
