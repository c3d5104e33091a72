using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Files;

/// <summary>
/// Where an upload's body is received before it is stored (<see cref="UploadOptions.SpoolPath"/>): ASP.NET Core's
/// <see cref="FileBufferingReadStream"/>, which keeps a small body in memory and writes a bigger one to a temporary
/// file opened with <see cref="FileOptions.DeleteOnClose"/>, so that disposing the stream deletes the file whatever
/// ended the upload (stored, refused, timed out, abandoned by the client). At start-up it deletes the files a crashed
/// process left behind.
/// </summary>
public sealed class UploadSpool(IOptions<UploadOptions> options, TimeProvider time, ILogger<UploadSpool> logger) : IHostedService
{
    /// <summary>Bodies up to this size stay in memory (a CSV of a few hundred rows); bigger ones go to disk.</summary>
    public const int MemoryThreshold = 64 * 1024;

    /// <summary>FileBufferingReadStream's own naming of its temporary files.</summary>
    private const string FilePattern = "ASPNETCORE_*.tmp";

    /// <summary>A stream that reads <paramref name="body"/> and keeps what it read, to be read again after a seek to 0.</summary>
    public FileBufferingReadStream Open(Stream body)
    {
        // Created again if something (a temp cleaner) removed it since start-up.
        var directory = Directory.CreateDirectory(options.Value.SpoolPath).FullName;
        return new FileBufferingReadStream(body, MemoryThreshold, bufferLimit: null, directory);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateDirectory(options.Value.SpoolPath);
        // Instances may share the folder: only files older than any upload can last are another process's leftovers.
        var cutoff = time.GetUtcNow().UtcDateTime - 2 * options.Value.Timeout;
        var deleted = 0;
        foreach (var file in directory.EnumerateFiles(FilePattern))
        {
            try
            {
                if (file.LastWriteTimeUtc < cutoff)
                {
                    file.Delete();
                    deleted++;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("Could not delete the stale upload spool file {File}: {Message}", file.FullName, ex.Message);
            }
        }

        if (deleted > 0)
        {
            logger.LogInformation("Deleted {Count} upload spool files left behind in {Directory}", deleted, directory.FullName);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
