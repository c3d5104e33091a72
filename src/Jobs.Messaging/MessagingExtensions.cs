using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Jobs.Messaging;

/// <summary>Registers what a service needs to hear Redis, over the registered <c>IConnectionMultiplexer</c>.</summary>
public static class MessagingExtensions
{
    /// <summary>
    /// <see cref="RedisKeys"/> (from <c>Jobs:RedisKeyPrefix</c>) and <see cref="JobUpdateChannel"/>. Enough for a host
    /// that hears live updates but must not reach the database, as the web (it references the API and Redis only:
    /// docs/design.md, "Topology").
    /// </summary>
    public static TBuilder AddJobsLiveUpdates<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(new RedisKeys(builder.Configuration["Jobs:RedisKeyPrefix"] ?? ""));
        builder.Services.TryAddSingleton<JobUpdateChannel>();
        return builder;
    }
}
