namespace Jobs.Web.Api;

/// <summary>Pending jobs of the workspace on one queue.</summary>
public sealed record QueueDepth(string Queue, long PendingInWorkspace);
