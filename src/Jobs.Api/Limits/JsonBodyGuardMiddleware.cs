using System.Text.Json;

namespace Jobs.Api.Limits;

/// <summary>
/// A JSON body must start with plain ASCII (RFC 8259: no byte order mark on the wire). System.Text.Json would skip a
/// UTF-8 BOM silently; here it is refused, like any other byte that cannot start JSON, so that what is checked is
/// exactly what was sent. The check is on the first byte as it streams in: no buffering.
/// </summary>
public sealed class JsonBodyGuardMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.HasJsonContentType() && context.Request.ContentLength is null or > 0)
        {
            context.Request.Body = new FirstByteGuardStream(context.Request.Body);
        }

        return next(context);
    }

    private sealed class FirstByteGuardStream(Stream inner) : Stream
    {
        private bool checkedFirst;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Check(inner.Read(buffer, offset, count), buffer.AsSpan(offset));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Check(await inner.ReadAsync(buffer, cancellationToken), buffer.Span);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Check(int read, ReadOnlySpan<byte> buffer)
        {
            if (checkedFirst || read == 0)
            {
                return read;
            }

            checkedFirst = true;
            return buffer[0] switch
            {
                0xEF or 0xFE or 0xFF => throw new JsonException("The body starts with a byte order mark: send UTF-8 JSON without one."),
                >= 0x80 => throw new JsonException("The body starts with a byte that cannot start JSON: send UTF-8 JSON."),
                _ => read,
            };
        }
    }
}
