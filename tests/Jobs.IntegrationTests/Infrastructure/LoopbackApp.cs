using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobs.IntegrationTests.Infrastructure;

/// <summary>A started Kestrel app on a free 127.0.0.1 port that answers every request with one delegate, for stand-ins of external services.</summary>
public static class LoopbackApp
{
    public static async Task<(WebApplication App, Uri BaseUrl)> StartAsync(RequestDelegate handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(handle);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return (app, new Uri(address + "/"));
    }
}
