using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Jobs.AppHost.Development;

/// <summary>
/// Once the API, the workers and the UI are healthy, prints one short block: where the dashboard, the UI and the API
/// are, and how to sign in. Aspire's own start-up lines come long before everything is ready and say nothing of the
/// services; this is what a developer running <c>./run.sh</c> looks for.
/// </summary>
public static class ReadyBanner
{
    /// <summary>The block's first words, which scripts and tests wait for.</summary>
    public const string Heading = "Jobs is ready";

    public static IDistributedApplicationBuilder PrintWhenReady(
        this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> web, IResourceBuilder<ProjectResource> api, DemoAccount demo)
    {
        var waitFor = builder.Resources.OfType<ProjectResource>().Select(r => r.Name).ToList();
        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>((@event, cancellationToken) =>
        {
            // Not awaited: the event must return for the resources to start.
            _ = PrintAsync(@event.Services, builder.Configuration, waitFor, web, api, demo);
            return Task.CompletedTask;
        });
        return builder;
    }

    private static async Task PrintAsync(
        IServiceProvider services, IConfiguration configuration, IReadOnlyList<string> waitFor,
        IResourceBuilder<ProjectResource> web, IResourceBuilder<ProjectResource> api, DemoAccount demo)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        try
        {
            await Task.WhenAll(waitFor.Select(name => notifications.WaitForResourceHealthyAsync(name, stopping)));
        }
        catch (OperationCanceledException)
        {
            return;
        }

        using var self = Process.GetCurrentProcess();
        var startedAt = self.StartTime.ToUniversalTime();
        var webUrl = web.GetEndpoint("http").Url;
        var apiUrl = api.GetEndpoint("http").Url;
        Console.WriteLine($"""

            {Heading} (healthy {(DateTime.UtcNow - startedAt).TotalSeconds:0} s after the AppHost started). Ctrl-C stops everything.
              Dashboard  {DashboardLoginUrl(services, configuration) ?? "(disabled)"}
              UI         {webUrl}  sign in as {demo.Email} / {demo.Password}
              API        {apiUrl}  header X-Api-Key: {demo.ApiKey}  (OpenAPI: {apiUrl}/openapi/v1.json)

            """);
    }

    /// <summary>The dashboard's address with its browser token, which logs the browser in; null without a dashboard.</summary>
    private static string? DashboardLoginUrl(IServiceProvider services, IConfiguration configuration)
    {
        // The dashboard is a resource of the model when it runs (Aspire.Hosting.Testing turns it off).
        var model = services.GetRequiredService<DistributedApplicationModel>();
        if (!model.Resources.Any(r => r.Name == "aspire-dashboard")
            || configuration["ASPNETCORE_URLS"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() is not { } url)
        {
            return null;
        }

        return configuration["AppHost:BrowserToken"] is { Length: > 0 } token ? $"{url.TrimEnd('/')}/login?t={token}" : url;
    }
}
