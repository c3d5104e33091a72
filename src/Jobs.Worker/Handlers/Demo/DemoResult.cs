namespace Jobs.Worker.Handlers.Demo;

/// <summary>The result of a <c>demo</c> job: the items it processed, and the attempt that did.</summary>
public sealed record DemoResult(int Items, int Attempt);
