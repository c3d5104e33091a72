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
    /// arrives, never buffered whole. The caller disposes it, which ends the response.
    /// </summary>
    /// <exception cref="JobsNotFoundException">No such job in the workspace, or the job has no such file.</exception>
    public async Task<Stream> OpenJobFileAsync(Guid jobId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/jobs/{jobId}/files/{Uri.EscapeDataString(name)}");
        var response = await SendCheckedAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        try
        {
            return new ResponseStream(await response.Content.ReadAsStreamAsync(cancellationToken), response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>The body's stream, disposing the response with it so the connection goes back to the pool.</summary>
    private sealed class ResponseStream(Stream inner, HttpResponseMessage response) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => response.Content.Headers.ContentLength ?? throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken) =>
            inner.CopyToAsync(destination, bufferSize, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
