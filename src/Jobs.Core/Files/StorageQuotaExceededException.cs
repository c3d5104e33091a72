using Jobs.Contracts.Workspaces;
using Jobs.Core.Engine;

namespace Jobs.Core.Files;

/// <summary>
/// A file would take its workspace past its storage quota, so it was not stored. Non-retryable for a job: running the
/// same job again would produce the same file, and space comes back only when someone deletes files (or retention does).
/// </summary>
public sealed class StorageQuotaExceededException(StorageUsage usage, long fileBytes)
    : NonRetryableJobException($"The file ({fileBytes} bytes) would exceed the workspace's storage quota: "
        + $"{usage.UsedBytes} of {usage.QuotaBytes} bytes are used.")
{
    /// <summary>The workspace's usage when the file was refused.</summary>
    public StorageUsage Usage { get; } = usage;

    /// <summary>The size of the refused file.</summary>
    public long FileBytes { get; } = fileBytes;
}
