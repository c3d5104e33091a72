namespace Jobs.Web.Api;

/// <summary>Jobs of the workspace that finished in one minute.</summary>
public sealed record ThroughputPoint(DateTimeOffset Minute, long Completed, long Failed);
