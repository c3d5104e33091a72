using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every Jobs service shares, as eShop's ServiceDefaults: telemetry, health checks, service discovery and
/// HTTP resilience. Each method returns the builder so a Program.cs reads as one chain.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";
    private const string LiveTag = "live";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// <c>/health</c> is readiness (every registered check, dependencies included); <c>/alive</c> is liveness
    /// (only the checks tagged "live", so a database outage does not get a healthy process restarted).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath).AllowAnonymous();
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(LiveTag),
        }).AllowAnonymous();
        return app;
    }

    /// <summary>
    /// <see cref="HostingAbstractionsHostExtensions.Run"/>, except that a stop asked for while the host is still
    /// starting (SIGTERM while migrations wait for PostgreSQL, say) is a clean exit (0), not an unhandled
    /// cancellation that aborts the process: a container platform stops pods that are still starting all the time.
    /// </summary>
    public static void RunUntilStopped(this IHost app)
    {
        // Read before running: Run disposes the host (and its services) on the way out.
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Jobs.Lifetime");
        // Says which signal stopped the process ("Application is shutting down" does not); the host still handles it.
        PosixSignalRegistration[] signals = [.. new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT }.Select(signal =>
            PosixSignalRegistration.Create(signal, context => logger.LogInformation("Received {Signal}; stopping", context.Signal)))];
        try
        {
            app.Run();
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Stopped before it had started: nothing ran, so nothing is left to finish.
        }
        finally
        {
            foreach (var registration in signals)
            {
                registration.Dispose();
            }
        }
    }
}
