namespace Jobs.Web.Api;

/// <summary>Pending jobs of the workspace on one queue, and the stream's length (null while Redis is down).</summary>
public sealed record QueueDepth(string Queue, long PendingInWorkspace, long? StreamLength);
