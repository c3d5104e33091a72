using Jobs.Contracts.Workspaces;

namespace Jobs.Core.Files;

/// <summary>
/// Files that jobs consume (uploads) and produce (job files), for any job type. Content is written and read in chunks,
/// never held whole in memory. A job's file is written as it is produced: start with <see cref="ContentCreateAsync"/>,
/// write to the returned stream, then commit it; an upload arrives whole (received beforehand) and is stored in one
/// short transaction. Both count against the workspace's storage quota. Reads return a stream that holds no
/// database connection between its chunks.
/// </summary>
public interface IFileStore
{
    /// <summary>New, empty content. Disposing it without committing it discards it.</summary>
    Task<FileContentWriter> ContentCreateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="content"/>, read from its position to its end, as an upload of the caller's workspace, in
    /// one transaction: give it content already received (a spooled request body), never a slow client's stream.
    /// </summary>
    /// <exception cref="StorageQuotaExceededException">The upload does not fit the workspace's quota; nothing is stored.</exception>
    Task<Upload> UploadInsertAsync(Stream content, UploadInsertParams parameters, CancellationToken cancellationToken);

    /// <summary>The bytes the workspace stores in files and its quota; null when there is no such workspace.</summary>
    Task<StorageUsage?> StorageUsageGetAsync(Guid workspaceId, CancellationToken cancellationToken);

    /// <summary>
    /// Commits <paramref name="content"/> as a job's file, replacing a file of the same name (an earlier attempt's).
    /// Null when the attempt no longer holds its lease: then nothing is stored.
    /// </summary>
    /// <exception cref="StorageQuotaExceededException">The file does not fit the workspace's quota; nothing is stored.</exception>
    Task<JobFile?> JobFileUpsertIfRunningAsync(FileContentWriter content, JobFileUpsertParams parameters, CancellationToken cancellationToken);

    /// <summary>
    /// The upload and a stream of its content, or null. The stream reads a chunk at a time, each on a pooled connection
    /// taken for that read only; it is seekable, and fails with an <see cref="IOException"/> if the file is deleted
    /// while it is read.
    /// </summary>
    Task<(Upload Upload, Stream Content)?> UploadOpenReadAsync(Guid workspaceId, Guid uploadId, CancellationToken cancellationToken);

    /// <summary>
    /// The job's file and a stream of its content, or null; the stream reads as <see cref="UploadOpenReadAsync"/>'s does,
    /// and fails with an <see cref="IOException"/> if a rerun replaces the file while it is read.
    /// </summary>
    Task<(JobFile File, Stream Content)?> JobFileOpenReadAsync(Guid workspaceId, Guid jobId, string name, CancellationToken cancellationToken);

    /// <summary>
    /// Retention (maintenance): deletes up to <paramref name="limit"/> uploads older than <paramref name="olderThan"/>
    /// that no pending or running job names as its <c>uploadId</c>; returns how many.
    /// </summary>
    Task<int> UploadDeleteExpiredAsync(TimeSpan olderThan, int limit, CancellationToken cancellationToken);
}
