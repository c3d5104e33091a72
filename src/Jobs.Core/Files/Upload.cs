namespace Jobs.Core.Files;

/// <summary>A row of <c>uploads</c>: a file a user uploaded for a job to consume by its id.</summary>
public sealed record Upload(
    Guid Id,
    Guid WorkspaceId,
    Guid UserId,
    string Name,
    string ContentType,
    long Size,
    DateTimeOffset CreatedAt);
