namespace Jobs.Worker.Handlers.Demo;

/// <summary>The payload of a <c>demo</c> job.</summary>
public sealed record DemoPayload(int Items, int DelayMs, int FailAttempts, int? CrashAfterItems = null);
