using System.Buffers;
using System.Globalization;
using Jobs.Api.OpenApi;
using Jobs.Api.Problems;
using Jobs.Contracts.Files;
using Jobs.Contracts.Workspaces;
using Jobs.Core.Files;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Jobs.Api.Files;

/// <summary>
/// Files in and out of jobs: <c>POST /api/uploads</c> stores a file for a job to consume by id (contacts.import), and
/// <c>GET /api/jobs/{id}/files/{name}</c> downloads a file a job produced (contacts.export). Neither lets a slow client
/// hold a database connection: an upload's body is received whole (spooled, bounded by size and time) before it is
/// stored in one short transaction, and a download reads its content a chunk at a time, each chunk a statement of its
/// own. Scoped to the caller's workspace: another workspace's job or file answers exactly like one that does not exist
/// (docs/design.md, "Tenancy").
/// </summary>
public static class FilesApi
{
    public const string DefaultUploadName = "upload.csv";
    public const int MaxNameLength = 200;

    /// <summary>Room for a multipart body's boundaries and part headers around the file.</summary>
    private const long MultipartOverhead = 64 * 1024;

    /// <summary>
    /// When to try again after a cap on uploads in progress: uploads of a few MB take seconds, and whose ends first
    /// is not known.
    /// </summary>
    private static readonly TimeSpan UploadRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>Raw bodies accepted besides multipart/form-data: CSV as browsers and tools label it.</summary>
    private static readonly string[] RawContentTypes =
        ["text/csv", "application/csv", "text/plain", "application/octet-stream", "application/vnd.ms-excel"];

    public static RouteGroupBuilder MapFilesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api")
            .RequireAuthorization()
            .WithTags("Files");

        api.MapPost("/uploads", Upload)
            .WithName("Upload")
            .AddOpenApiOperationTransformer(OpenApiDescriptions.Upload)
            .WithSummary("Upload a file (multipart/form-data, or the raw body as text/csv) for a job to use by its id");
        api.MapGet("/jobs/{id}/files/{name}", DownloadJobFile)
            .WithName("DownloadJobFile")
            // Whatever the job wrote (a CSV, an image): its own media type.
            .AddOpenApiOperationTransformer(OpenApiDescriptions.File(contentType: null, ranges: true))
            .WithSummary("Download a file a job produced, such as the contacts.csv of contacts.export");
        return api;
    }

    public static async Task<Results<Created<UploadResponse>, ValidationProblem, ProblemHttpResult>> Upload(
        string? name,
        [AsParameters] FileServices services,
        CancellationToken cancellationToken)
    {
        var request = services.HttpContext.Request;
        var options = services.Options.Value;
        var limit = options.MaxBytes;
        var multipart = MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            && mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);
        if (!multipart && !RawContentTypes.Contains(mediaType?.MediaType.Value ?? "", StringComparer.OrdinalIgnoreCase))
        {
            return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Send the file as multipart/form-data or text/csv",
                $"Content-Type '{request.ContentType}' is not accepted here: send a multipart/form-data body with one file, or the file itself as text/csv.");
        }

        if (request.ContentLength > limit + (multipart ? MultipartOverhead : 0))
        {
            return TooLarge(limit);
        }

        var caller = services.Caller;
        await using var slot = await services.Slots.TryTakeAsync(caller);
        if (!slot.IsTaken)
        {
            return TooManyUploads(services.HttpContext, slot);
        }

        // A body that says it cannot fit is refused before it is received; the store checks again, exactly, at the end.
        // After the slot, so that a burst of uploads reads the database no more often than the caps let uploads run.
        if (request.ContentLength is { } declared && (multipart ? declared - MultipartOverhead : declared) is var least and > 0
            && await services.Files.StorageUsageGetAsync(caller.WorkspaceId, cancellationToken) is { } usage && !usage.Fits(least))
        {
            return QuotaExceeded(usage, least);
        }

        // The API's body limit (Api:MaxRequestBodyBytes) is for JSON; an upload has its own, enforced while receiving.
        if (services.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit + MultipartOverhead;
        }

        using var timeout = new CancellationTokenSource(options.Timeout, services.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await ReceiveAndStoreAsync(name, multipart ? mediaType : null, mediaType?.MediaType.Value, services, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return TimedOut(options.Timeout);
        }
    }

    /// <summary>Receives the file into the spool, bounded by the size limit, then stores it in one short transaction.</summary>
    private static async Task<Results<Created<UploadResponse>, ValidationProblem, ProblemHttpResult>> ReceiveAndStoreAsync(
        string? name, MediaTypeHeaderValue? multipart, string? rawContentType, FileServices services, CancellationToken cancellationToken)
    {
        var request = services.HttpContext.Request;
        var limit = services.Options.Value.MaxBytes;
        Stream body = new CancellableBodyStream(request.BodyReader);
        var fileName = name;
        var contentType = rawContentType ?? "text/csv";
        if (multipart is not null)
        {
            var boundary = HeaderUtilities.RemoveQuotes(multipart.Boundary).Value;
            if (string.IsNullOrEmpty(boundary))
            {
                return ApiProblems.Validation("file", "is missing: the multipart body has no boundary.");
            }

            MultipartSection? section;
            try
            {
                var reader = new MultipartReader(boundary, body);
                while ((section = await reader.ReadNextSectionAsync(cancellationToken)) is not null)
                {
                    if (section.GetContentDispositionHeader() is { } disposition && disposition.IsFileDisposition())
                    {
                        fileName ??= HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                        contentType = section.ContentType ?? "text/csv";
                        break;
                    }
                }
            }
            catch (Exception e) when (IsUnreadableMultipart(e))
            {
                return Unreadable(e);
            }

            if (section is null)
            {
                return ApiProblems.Validation("file", "is missing: send the file as a part with a filename (form field \"file\").");
            }

            body = section.Body;
        }

        // Disposing the spool deletes its file, however the upload ends.
        await using var spool = services.Spool.Open(body);
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            long received = 0;
            int read;
            while ((read = await spool.ReadAsync(buffer, cancellationToken)) > 0)
            {
                received += read;
                if (received > limit)
                {
                    return TooLarge(limit);
                }
            }
        }
        catch (Exception e) when (multipart is not null && IsUnreadableMultipart(e))
        {
            return Unreadable(e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        spool.Seek(0, SeekOrigin.Begin);
        var caller = services.Caller;
        Upload upload;
        try
        {
            upload = await services.Files.UploadInsertAsync(spool, new UploadInsertParams(
                caller.WorkspaceId, caller.UserId, CleanName(fileName), Truncate(contentType, 200)), cancellationToken);
        }
        catch (StorageQuotaExceededException e)
        {
            return QuotaExceeded(e.Usage, e.FileBytes);
        }

        return TypedResults.Created((string?)null, new UploadResponse(upload.Id, upload.Name, upload.Size, upload.ContentType, upload.CreatedAt));
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> DownloadJobFile(
        string id,
        string name,
        [AsParameters] FileServices services,
        CancellationToken cancellationToken)
    {
        var opened = Guid.TryParse(id, out var jobId) && JobFile.IsValidName(name)
            ? await services.Files.JobFileOpenReadAsync(services.Caller.WorkspaceId, jobId, name, cancellationToken)
            : null;
        if (opened is not { } found)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "file_not_found", "File not found",
                $"Job '{Shorten(id)}' of your workspace has no file '{Shorten(name)}'.");
        }

        // The stream reads from storage a chunk at a time as the response is written, holding no connection between
        // chunks; it is seekable, so a Range request reads only its range. A rerun replaces the file with a new
        // created_at, so the tag changes with the content and If-Range never resumes across two versions.
        var (file, content) = found;
        var etag = new EntityTagHeaderValue($"\"{file.CreatedAt.UtcTicks:x}-{file.Size:x}\"");
        return TypedResults.Stream(content, file.ContentType, file.Name, file.CreatedAt, etag, enableRangeProcessing: true);
    }

    private static ProblemHttpResult TooLarge(long limit) =>
        ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "The file is too large",
            $"Uploads are limited to {limit} bytes ({limit / (1024.0 * 1024.0):0.#} MB).",
            new Dictionary<string, object?> { ["maxBytes"] = limit });

    private static ProblemHttpResult QuotaExceeded(StorageUsage usage, long fileBytes) =>
        ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "storage_quota_exceeded", "The workspace's storage is full",
            $"This file ({fileBytes} bytes) does not fit: the workspace stores {usage.UsedBytes} of its {usage.QuotaBytes} bytes. "
            + "Delete uploads or jobs with files you no longer need, or ask the operator for more.",
            new Dictionary<string, object?> { ["usedBytes"] = usage.UsedBytes, ["quotaBytes"] = usage.QuotaBytes, ["fileBytes"] = fileBytes });

    private static ProblemHttpResult TooManyUploads(HttpContext context, UploadSlot refused)
    {
        var seconds = (int)UploadRetryAfter.TotalSeconds;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var extensions = new Dictionary<string, object?> { ["scope"] = refused.RefusedScope, ["limit"] = refused.Limit, ["retryAfterSeconds"] = seconds };
        return refused.RefusedScope == UploadSlot.InstanceScope
            ? ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "uploads_busy", "Too many uploads on this server",
                $"This server receives {refused.Limit} uploads at once. Try again in {seconds} s.", extensions)
            : ApiProblems.Problem(StatusCodes.Status429TooManyRequests, "too_many_concurrent_uploads", "Too many uploads at once",
                $"At most {refused.Limit} uploads may be in progress at once per {(refused.RefusedScope == UploadSlot.KeyScope ? "API key" : "workspace")}. "
                + $"Try again in {seconds} s, or once one of them has finished.", extensions);
    }

    private static ProblemHttpResult TimedOut(TimeSpan timeout) =>
        ApiProblems.Problem(StatusCodes.Status408RequestTimeout, "upload_timeout", "The upload took too long",
            $"An upload must arrive within {timeout.TotalSeconds:0.###} s; nothing of it was stored. Try again on a faster link, or with a smaller file.",
            new Dictionary<string, object?> { ["timeoutSeconds"] = timeout.TotalSeconds });

    /// <summary>
    /// A truncated or malformed multipart body. Not Kestrel's own <see cref="BadHttpRequestException"/> (an
    /// <see cref="IOException"/> too), which <c>ProblemExceptionHandler</c> answers with its status: 413 past the body limit.
    /// </summary>
    private static bool IsUnreadableMultipart(Exception e) => e is InvalidDataException or (IOException and not BadHttpRequestException);

    private static ValidationProblem Unreadable(Exception e) =>
        ApiProblems.Validation("file", $"could not be read from the multipart body: {e.Message}");

    /// <summary>The file's own name, without a client's path, control characters or excess length.</summary>
    private static string CleanName(string? name)
    {
        var clean = new string((Path.GetFileName(name?.Replace('\\', '/')) ?? "").Where(c => !char.IsControl(c)).ToArray()).Trim();
        return clean.Length == 0 ? DefaultUploadName : Truncate(clean, MaxNameLength);
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
