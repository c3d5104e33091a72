using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

public static class TelemetryExtensions
{
    /// <summary>The one ActivitySource and Meter name the Jobs services use (docs/design.md, "Conventions").</summary>
    public const string JobsTelemetryName = "Jobs";

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(JobsTelemetryName));

        // Export only when an endpoint is configured, as Aspire's templates do; and without one, record no spans or log
        // records that nobody will receive. Recording them anyway is not free: Redis's instrumentation profiles every
        // command, and every job's claim, run and group write would build spans for nothing. The AppHost always sets
        // the endpoint (its dashboard), so run mode keeps every trace; a deployment gets them by setting it.
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            var untraced = new[] { "Aspire:Npgsql:DisableTracing", "Aspire:StackExchange:Redis:DisableTracing" }
                .Where(key => builder.Configuration[key] is null)
                .Select(key => new KeyValuePair<string, string?>(key, "true"));
            builder.Configuration.AddInMemoryCollection(untraced);
            return builder;
        }

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName, JobsTelemetryName)
                .AddAspNetCoreInstrumentation(o =>
                    // Health probes arrive every few seconds and would drown the traces that matter.
                    o.Filter = ctx => !ctx.Request.Path.StartsWithSegments(Extensions.HealthEndpointPath)
                        && !ctx.Request.Path.StartsWithSegments(Extensions.AlivenessEndpointPath))
                .AddHttpClientInstrumentation())
            .UseOtlpExporter();
        return builder;
    }
}
