using StackExchange.Redis;

namespace Jobs.Core.Engine.Events;

/// <summary>
/// One channel (or pattern) of a <see cref="RedisSubscription"/> and what to do with each of its messages. The channels
/// and their message formats are made where they are published: <see cref="JobEventBus.UpdatesSubscription"/>,
/// <see cref="JobEventBus.CancelListener"/>, <see cref="Queue.JobQueue.WakeListeners"/>.
/// </summary>
public sealed record RedisListener(RedisChannel Channel, Action<ChannelMessage> OnMessage);
