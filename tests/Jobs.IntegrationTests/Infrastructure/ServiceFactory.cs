using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.IntegrationTests.Infrastructure;

/// <summary>
/// Starts a Jobs service (api or worker) in-process on Kestrel at a free loopback port, configured through the same
/// keys the AppHost sets (DESIGN §2), so tests speak real HTTP to it.
/// </summary>
public sealed class ServiceFactory<TEntryPoint>(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configureServices = null)
    : WebApplicationFactory<TEntryPoint> where TEntryPoint : class
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        if (configureServices is not null)
        {
            builder.ConfigureServices(configureServices);
        }
    }

    public static ServiceFactory<TEntryPoint> Start(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configureServices = null)
    {
        var factory = new ServiceFactory<TEntryPoint>(settings, configureServices);
        factory.UseKestrel(0);
        factory.StartServer();
        return factory;
    }
}
