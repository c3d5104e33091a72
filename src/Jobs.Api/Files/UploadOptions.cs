using System.ComponentModel.DataAnnotations;

namespace Jobs.Api.Files;

/// <summary>Settings of <c>POST /api/uploads</c> (section <c>Uploads</c>), validated at start-up.</summary>
public sealed class UploadOptions
{
    public const string Section = "Uploads";

    public const long DefaultMaxBytes = 10 * 1024 * 1024;

    /// <summary>10 MB in 5 minutes is 35 KB/s: a poor mobile link still makes it; a client that trickles does not.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>A script uploading a few files in parallel fits; a leaked key cannot hold many slots.</summary>
    public const int DefaultMaxConcurrentPerKey = 4;

    /// <summary>Every user of a busy workspace uploading at once, from the UI (a key per sign-in) or with keys.</summary>
    public const int DefaultMaxConcurrentPerWorkspace = 16;

    /// <summary>Bounds one instance's spool space (64 × 10 MB) even when Redis, which holds the other caps, is down.</summary>
    public const int DefaultMaxConcurrentPerInstance = 64;

    /// <summary>Largest file accepted, in bytes; a bigger one is refused with 413 without being stored.</summary>
    [Range(1, 1024L * 1024 * 1024)]
    public long MaxBytes { get; set; } = DefaultMaxBytes;

    /// <summary>
    /// Longest an upload may take from the start of its body to its answer; past it the upload is answered 408
    /// (<c>upload_timeout</c>) and everything it held is released.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>Uploads in progress at once with one API key, across every API instance; more are answered 429.</summary>
    [Range(1, 1000)]
    public int MaxConcurrentPerKey { get; set; } = DefaultMaxConcurrentPerKey;

    /// <summary>Uploads in progress at once in one workspace, across every API instance; more are answered 429.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentPerWorkspace { get; set; } = DefaultMaxConcurrentPerWorkspace;

    /// <summary>Uploads in progress at once on this instance, whatever their workspace; more are answered 503.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentPerInstance { get; set; } = DefaultMaxConcurrentPerInstance;

    /// <summary>
    /// Where bodies are received before they are stored (temporary files, deleted when the upload ends however it
    /// ends); by default <c>jobs-uploads</c> in the system's temporary folder. Local disk of the instance.
    /// </summary>
    public string? SpoolDirectory { get; set; }

    /// <summary><see cref="SpoolDirectory"/>, or its default.</summary>
    public string SpoolPath => SpoolDirectory is { Length: > 0 } directory ? directory : Path.Combine(Path.GetTempPath(), "jobs-uploads");
}
