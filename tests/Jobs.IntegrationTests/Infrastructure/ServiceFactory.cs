using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.IntegrationTests.Infrastructure;

/// <summary>
/// Starts a Jobs service (api or worker) in-process on Kestrel at a free loopback port, configured through the same
/// keys the AppHost sets (docs/design.md, "Configuration contract"), so tests speak real HTTP to it.
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
        // A listen endpoint rather than UseKestrel(0): that overload rewrites the server's addresses after the app has
        // begun starting on its own thread and, when Kestrel binds first, throws "Addresses cannot be modified after the
        // server has started" (dotnet/aspnetcore#67714).
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        return factory;
    }
}
