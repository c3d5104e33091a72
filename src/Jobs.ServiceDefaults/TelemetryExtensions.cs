using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

public static class TelemetryExtensions
{
    /// <summary>The one ActivitySource and Meter name the Jobs services use (DESIGN §10).</summary>
    public const string JobsTelemetryName = "Jobs";

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(JobsTelemetryName))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName, JobsTelemetryName)
                .AddAspNetCoreInstrumentation(o =>
                    // Health probes arrive every few seconds and would drown the traces that matter.
                    o.Filter = ctx => !ctx.Request.Path.StartsWithSegments(Extensions.HealthEndpointPath)
                        && !ctx.Request.Path.StartsWithSegments(Extensions.AlivenessEndpointPath))
                .AddHttpClientInstrumentation());

        // Export only when an endpoint is configured, as Aspire's templates do.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }
}
