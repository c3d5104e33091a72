using System.Collections.Concurrent;

namespace Jobs.IntegrationTests.Infrastructure;

/// <summary>
/// Watches a client's <c>/events</c> streams: counts them, keeps the <c>Last-Event-ID</c> each asked with, counts the
/// events they delivered, and ends the first stream after <c>cutAfter</c> events, as a proxy that drops a long response
/// does (the body just ends).
/// </summary>
public sealed class EventStreamCutter(int cutAfter) : DelegatingHandler
{
    private int delivered;
    private int streams;

    public int Streams => streams;

    /// <summary>Events the streams carried to the client, over all of them.</summary>
    public int Delivered => delivered;

    private readonly ConcurrentQueue<string?> lastEventIdsAsked = new();

    /// <summary>Each stream's <c>Last-Event-ID</c> in order, null for none.</summary>
    public IReadOnlyList<string?> LastEventIds => [.. lastEventIdsAsked];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (!(request.RequestUri?.AbsolutePath.EndsWith("/events", StringComparison.Ordinal) ?? false) || !response.IsSuccessStatusCode)
        {
            return response;
        }

        var first = Interlocked.Increment(ref streams) == 1;
        lastEventIdsAsked.Enqueue(request.Headers.TryGetValues("Last-Event-ID", out var ids) ? ids.Single() : null);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var content = new StreamContent(new Counting(body, this, first ? cutAfter : int.MaxValue));
        foreach (var header in response.Content.Headers)
        {
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = content;
        return response;
    }

    /// <summary>Passes the body through, counting events (a line feed after a line feed ends one), and ends it after <c>limit</c> of them.</summary>
    private sealed class Counting(Stream inner, EventStreamCutter owner, int limit) : Stream
    {
        private int events;
        private byte previous;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (events >= limit)
            {
                return 0;
            }

            var read = await inner.ReadAsync(buffer, cancellationToken);
            var span = buffer.Span[..read];
            for (var i = 0; i < span.Length; i++)
            {
                var ended = span[i] == (byte)'\n' && previous == (byte)'\n';
                previous = span[i];
                if (!ended || IsComment(span, i))
                {
                    continue;
                }

                events++;
                Interlocked.Increment(ref owner.delivered);
                if (events >= limit)
                {
                    return i + 1;
                }
            }

            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

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
            }

            base.Dispose(disposing);
        }

        /// <summary>A heartbeat (<c>: heartbeat</c>) is no event; its block starts with a colon within this read, as the server writes it whole.</summary>
        private static bool IsComment(Span<byte> span, int end)
        {
            if (end < 1)
            {
                return false;
            }

            var start = span[..(end - 1)].LastIndexOf((byte)'\n') + 1;
            return start < span.Length && span[start] == (byte)':';
        }
    }
}
