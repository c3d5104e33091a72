namespace Jobs.Api.Files;

/// <summary>An upload as stored: reference it by <see cref="UploadId"/> in a job's payload (contacts.import).</summary>
public sealed record UploadResponse(Guid UploadId, string Name, long Size, string ContentType, DateTimeOffset CreatedAt);
