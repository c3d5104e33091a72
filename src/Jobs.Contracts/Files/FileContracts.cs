namespace Jobs.Contracts.Files;

/// <summary>An upload as stored: reference it by <c>uploadId</c> in a job's payload (contacts.import).</summary>
public sealed record UploadResponse(Guid UploadId, string Name, long Size, string ContentType, DateTimeOffset CreatedAt);
