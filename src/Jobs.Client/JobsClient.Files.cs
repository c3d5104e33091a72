using System.Net.Http.Headers;
using Jobs.Contracts.Files;

namespace Jobs.Client;

/// <summary>Files: uploads a job's payload names, and the files a job wrote (docs/api.md, "Files").</summary>
public sealed partial class JobsClient
{
    private const string OctetStream = "application/octet-stream";

    /// <summary>
    /// Streams <paramref name="content"/> to <c>POST /api/uploads</c> as the one part of a multipart body, with its name
    /// and content type, which the API keeps (a CSV for contacts.import, an image for journey.from-diagram). The
    /// answer's <see cref="UploadResponse.UploadId"/> is what a payload names.
    /// </summary>
    /// <param name="content">Read to its end as it is sent, and disposed with the request.</param>
    /// <param name="fileName">The name the API keeps with the upload.</param>
    /// <param name="contentType">The file's media type; null or unreadable sends <c>application/octet-stream</c>.</param>
    /// <param name="cancellationToken">Stops the upload.</param>
    /// <exception cref="JobsApiException">413 when the file is too large or the workspace's storage is full.</exception>
    /// <exception cref="JobsRateLimitedException">Uploading too fast.</exception>
    public Task<UploadResponse> UploadAsync(Stream content, string fileName, string? contentType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        var file = new StreamContent(content);
        file.Headers.ContentType = MediaTypeHeaderValue.TryParse(contentType, out var type) ? type : new MediaTypeHeaderValue(OctetStream);
        var body = new MultipartFormDataContent { { file, "file", fileName } };
        return SendAsync<UploadResponse>(HttpMethod.Post, "api/uploads", body, null, cancellationToken)!;
    }

    /// <summary>
    /// A file the job wrote (<c>GET /api/jobs/{id}/files/{name}</c>), as the response body's stream: read as it
    /// arrives, never buffered whole. The caller disposes it, which ends the response and frees its connection.
    /// </summary>
    /// <exception cref="JobsNotFoundException">No such job in the workspace, or the job has no such file.</exception>
    public async Task<Stream> OpenJobFileAsync(Guid jobId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/jobs/{jobId}/files/{Uri.EscapeDataString(name)}");
        // Not disposed here: the body's stream is all the response holds, and it is the caller's.
        var response = await SendCheckedAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        try
        {
            return await response.Content.ReadAsStreamAsync(cancellationToken);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
