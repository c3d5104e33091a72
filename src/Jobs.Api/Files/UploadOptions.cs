using System.ComponentModel.DataAnnotations;

namespace Jobs.Api.Files;

/// <summary>Settings of <c>POST /api/uploads</c> (section <c>Uploads</c>), validated at start-up.</summary>
public sealed class UploadOptions
{
    public const string Section = "Uploads";

    public const long DefaultMaxBytes = 10 * 1024 * 1024;

    /// <summary>Largest file accepted, in bytes; a bigger one is refused with 413 without being stored.</summary>
    [Range(1, 1024L * 1024 * 1024)]
    public long MaxBytes { get; set; } = DefaultMaxBytes;
}
