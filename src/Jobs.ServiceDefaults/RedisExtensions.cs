using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Does what Aspire.StackExchange.Redis does: reads <c>ConnectionStrings:{name}</c> (the StackExchange.Redis
/// form, <c>host:port[,password=…]</c>), registers one shared <see cref="IConnectionMultiplexer"/> and a readiness check.
/// </summary>
public static class RedisExtensions
{
    public static TBuilder AddRedisClient<TBuilder>(this TBuilder builder, string connectionName) where TBuilder : IHostApplicationBuilder
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{connectionName} is missing. Set ConnectionStrings__{connectionName} (the AppHost does this).");
        }

        var options = ConfigurationOptions.Parse(connectionString);
        // Services must start (and accept jobs) while Redis is down: the multiplexer keeps reconnecting.
        options.AbortOnConnectFail = false;
        // Fail at once while disconnected instead of queueing for seconds: Jobs treats Redis as best effort and
        // falls back to PostgreSQL (a submit still answers 202 at once; maintenance enqueues later).
        options.BacklogPolicy = BacklogPolicy.FailFast;
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            $"redis-{connectionName}",
            sp => new RedisHealthCheck(sp.GetRequiredService<IConnectionMultiplexer>()),
            HealthStatus.Unhealthy,
            ["ready"],
            TimeSpan.FromSeconds(5)));
        return builder;
    }

    private sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await redis.GetDatabase().PingAsync();
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy("Redis does not answer", ex);
            }
        }
    }
}
