using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What the Jobs services ask of Aspire's Redis client integration beyond its defaults, passed to it as a callback:
/// <code>
/// builder.AddRedisClient("redis", configureOptions: ClientSettings.Redis);
/// </code>
/// Aspire.StackExchange.Redis brings the rest: the connection from <c>ConnectionStrings:{name}</c>, readiness checks,
/// traces and metrics. PostgreSQL's settings are Jobs.Core's <c>NpgsqlClientSettings</c>: the web, which has no
/// database, does not carry Npgsql.
/// </summary>
public static class ClientSettings
{
    public static void Redis(ConfigurationOptions options)
    {
        // Services must start (and accept jobs) while Redis is down: the multiplexer keeps reconnecting.
        options.AbortOnConnectFail = false;
        // Fail at once while disconnected instead of queueing for seconds: Jobs treats Redis as best effort and
        // falls back to PostgreSQL (a submit still answers 202 at once; maintenance hints later).
        options.BacklogPolicy = BacklogPolicy.FailFast;
    }
}
