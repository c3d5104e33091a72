using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;

namespace Jobs.Client;

/// <summary>Registers <see cref="JobsClient"/> (docs/api.md, ".NET client").</summary>
public static class JobsClientExtensions
{
    private const string HttpClientName = "Jobs.Client";

    /// <summary>
    /// In an Aspire app: the client of the API resource <paramref name="serviceName"/>, at <c>http://{serviceName}</c>
    /// as service discovery resolves it, with the key from <c>Jobs:Client:ApiKey</c> (or the connection string
    /// <paramref name="serviceName"/> of the form <c>Endpoint=https://…;ApiKey=…</c>, which sets both).
    /// </summary>
    public static IHostApplicationBuilder AddJobsClient(this IHostApplicationBuilder builder, string serviceName = "api")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        builder.Services.AddServiceDiscovery();
        builder.Services.AddOptions<JobsClientOptions>()
            .BindConfiguration(JobsClientOptions.Section)
            .Configure<IConfiguration>((options, configuration) => ReadConnectionString(options, configuration.GetConnectionString(serviceName)))
            .PostConfigure(options => options.BaseAddress ??= new Uri($"http://{serviceName}"))
            .Validate(options => !string.IsNullOrWhiteSpace(options.ApiKey), $"Set {JobsClientOptions.Section}:ApiKey (or ApiKey= in the connection string '{serviceName}').")
            .ValidateOnStart();
        builder.Services.AddHttpClient(HttpClientName, (services, http) => http.BaseAddress = services.GetRequiredService<IOptions<JobsClientOptions>>().Value.BaseAddress)
            .AddServiceDiscovery();
        builder.Services.AddSingleton(services =>
        {
            var resolver = services.GetRequiredService<ServiceEndpointResolver>();
            var options = services.GetRequiredService<IOptions<JobsClientOptions>>().Value;
            return new JobsClient(
                services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
                JobsClient.Fixed(options.ApiKey),
                (address, cancellationToken) => ResolveAsync(resolver, address, cancellationToken))
            {
                Transport = options.Transport,
            };
        });
        return builder;
    }

    /// <summary>Outside Aspire: the client of the API at <paramref name="baseAddress"/>, calling with <paramref name="apiKey"/>.</summary>
    public static IServiceCollection AddJobsClient(this IServiceCollection services, Uri baseAddress, string apiKey, WatchTransport transport = WatchTransport.Auto)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        services.AddHttpClient(HttpClientName, http => http.BaseAddress = baseAddress);
        services.AddSingleton(services => new JobsClient(services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName), apiKey)
        {
            Transport = transport,
        });
        return services;
    }

    /// <summary><c>Endpoint=…;ApiKey=…</c>: either part may be left out, and configuration keeps what is not given.</summary>
    private static void ReadConnectionString(JobsClientOptions options, string? connectionString)
    {
        foreach (var part in (connectionString ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (name, value) = part.IndexOf('=') is var at and > 0 ? (part[..at].Trim(), part[(at + 1)..].Trim()) : ("Endpoint", part);
            if (name.Equals("Endpoint", StringComparison.OrdinalIgnoreCase))
            {
                options.BaseAddress = new Uri(value);
            }
            else if (name.Equals("ApiKey", StringComparison.OrdinalIgnoreCase))
            {
                options.ApiKey = value;
            }
        }
    }

    /// <summary>
    /// The hub's WebSocket does not go through the HttpClient's handlers, so it cannot resolve <c>http://api</c> there;
    /// it gets the first endpoint service discovery knows for the name.
    /// </summary>
    private static async ValueTask<Uri> ResolveAsync(ServiceEndpointResolver resolver, Uri address, CancellationToken cancellationToken)
    {
        var source = await resolver.GetEndpointsAsync(address.GetLeftPart(UriPartial.Authority), cancellationToken);
        var (host, port) = source.Endpoints.FirstOrDefault()?.EndPoint switch
        {
            DnsEndPoint dns => (dns.Host, dns.Port),
            IPEndPoint ip => (ip.Address.ToString(), ip.Port),
            { } other when Uri.TryCreate(other.ToString(), UriKind.Absolute, out var uri) => (uri.Host, uri.Port),
            _ => (address.Host, address.Port),
        };
        return new UriBuilder(address) { Host = host, Port = port }.Uri;
    }
}
