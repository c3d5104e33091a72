namespace Jobs.Web.Api;

/// <summary>The workspace's files (uploads and job files): the bytes they take, and the most the operator allows.</summary>
public sealed record WorkspaceStorage(long UsedBytes, long QuotaBytes);
