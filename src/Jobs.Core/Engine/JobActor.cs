namespace Jobs.Core.Engine;

/// <summary>
/// Who asks for a transition (submit, cancel, retry): the user and the API key or UI session the request came with.
/// The store snapshots the user's email and the key's kind, name and prefix into the event, so the timeline keeps
/// saying who it was after the key is revoked or renamed.
/// </summary>
public sealed record JobActor(Guid UserId, Guid? ApiKeyId);
