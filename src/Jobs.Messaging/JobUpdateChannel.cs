using System.Text.Json;
using Jobs.Contracts.Jobs;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Jobs.Messaging;

/// <summary>
/// The live updates' channels (docs/design.md, "Live updates"): one per workspace, <see cref="RedisKeys.EventsChannel"/>,
/// each message one <see cref="JobUpdate"/> or a JSON array of them. Jobs.Core's <c>JobEventBus</c> publishes on them;
/// the API and the web hear them through <see cref="Subscribe"/>. Both sides use <see cref="SerializerOptions"/>.
/// </summary>
public sealed class JobUpdateChannel(IConnectionMultiplexer redis, RedisKeys keys, TimeProvider time, ILogger<JobUpdateChannel> logger)
{
    /// <summary>How an update is written on the channel (and to SSE clients): the web defaults, camelCase names.</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>The updates one message on a workspace's channel carries: one object, or an array of them.</summary>
    public static IReadOnlyList<JobUpdate> Parse(string message) =>
        message.AsSpan().TrimStart().StartsWith("[")
            ? JsonSerializer.Deserialize<List<JobUpdate>>(message, SerializerOptions)?.OfType<JobUpdate>().ToList() ?? []
            : JsonSerializer.Deserialize<JobUpdate>(message, SerializerOptions) is { } update ? [update] : [];

    /// <summary>
    /// One pattern subscription for every workspace's updates (the API's and the web's fan-out), made once per process
    /// and not yet started: <paramref name="onUpdate"/> is called for one update at a time, in the order Redis delivers
    /// them (a message's updates in their order). <paramref name="whileDown"/> and <paramref name="owner"/> are for its
    /// log (<see cref="RedisSubscription"/>).
    /// </summary>
    public RedisSubscription Subscribe(Action<JobUpdate> onUpdate, string whileDown, ILogger owner) =>
        new(redis, [new RedisListener(RedisChannel.Pattern(keys.EventsPattern), message =>
        {
            try
            {
                foreach (var update in Parse(message.Message.ToString()))
                {
                    onUpdate(update);
                }
            }
            catch (JsonException ex)
            {
                logger.LogWarning(ex, "Ignored a malformed update on {Channel}", message.Channel);
            }
        })], "live job updates", whileDown, time, owner);
}
