namespace Jobs.Core.Files;

/// <summary>Who uploaded a file, and what it is called and contains, as the client said.</summary>
public sealed record UploadInsertParams(Guid WorkspaceId, Guid UserId, string Name, string ContentType);
