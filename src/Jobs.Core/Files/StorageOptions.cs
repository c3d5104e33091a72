using System.ComponentModel.DataAnnotations;

namespace Jobs.Core.Files;

/// <summary>
/// Settings of file storage (section <c>Storage</c>), validated at start-up. Read by every host that stores files
/// (the API for uploads, the workers for the files jobs produce): give them the same values.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public const long DefaultDefaultQuotaBytes = 1024L * 1024 * 1024;

    /// <summary>
    /// Bytes of files (uploads and job files together) a workspace may keep, unless the operator granted it its own
    /// value (<c>workspaces.storage_quota_bytes</c>).
    /// </summary>
    [Range(0, long.MaxValue)]
    public long DefaultQuotaBytes { get; set; } = DefaultDefaultQuotaBytes;
}
