using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

public static class JobsServiceExtensions
{
    /// <summary>
    /// What every Jobs service (api, worker, web) gets from the AppHost:
    /// <list type="bullet">
    /// <item>From its references, only the configuration contract of the design: <c>ConnectionStrings__{name}</c> and
    /// <c>services__{name}__http__0</c>. Aspire would also add each connection's parts (<c>JOBSDB_HOST</c>,
    /// <c>REDIS_URI</c>, …), which no service reads and every deployment would have to carry.</item>
    /// <item>While running, the AppHost's environment (Development under ./run.sh: the demo workspace, detailed
    /// errors). Aspire takes it from a launch profile, and the projects have none: every endpoint is declared in
    /// Program.cs. A published service keeps its platform's (Production by default).</item>
    /// <item>Plain http without Aspire's developer certificate: the services serve no https endpoint, and a machine
    /// without a trusted certificate (every one here) would be warned about it on every start.</item>
    /// </list>
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithJobsServiceDefaults(this IResourceBuilder<ProjectResource> service)
    {
        service.WithReferenceEnvironment(ReferenceEnvironmentInjectionFlags.ConnectionString | ReferenceEnvironmentInjectionFlags.ServiceDiscovery);
        // An evaluation API (ASPIRECERTIFICATES001) in Aspire 13.6, and the only way to say a project needs no certificate.
#pragma warning disable ASPIRECERTIFICATES001
        service.WithoutHttpsCertificate();
#pragma warning restore ASPIRECERTIFICATES001
        return service.WithEnvironment(context =>
        {
            if (context.ExecutionContext.IsRunMode)
            {
                context.EnvironmentVariables["ASPNETCORE_ENVIRONMENT"] = service.ApplicationBuilder.Environment.EnvironmentName;
            }
        });
    }
}
