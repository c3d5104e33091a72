using StackExchange.Redis;

namespace Jobs.Messaging;

/// <summary>
/// One channel (or pattern) of a <see cref="RedisSubscription"/> and what to do with each of its messages. The channels
/// and their message formats are made where they are published: <see cref="JobUpdateChannel.Subscribe"/>, and in
/// Jobs.Core <c>JobEventBus.CancelListener</c> and <c>JobQueue.WakeListeners</c>.
/// </summary>
public sealed record RedisListener(RedisChannel Channel, Action<ChannelMessage> OnMessage);
