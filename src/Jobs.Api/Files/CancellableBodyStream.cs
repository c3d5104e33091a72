using System.Buffers;
using System.IO.Pipelines;

namespace Jobs.Api.Files;

/// <summary>
/// The request body, read from Kestrel's <see cref="PipeReader"/> so that a cancelled read (the upload's timeout) stops
/// with <see cref="PipeReader.CancelPendingRead"/> and leaves the reader consistent. Cancelling the body's own stream
/// through a token leaves Kestrel's reader mid-read, so that it cannot drain the rest of the body after the answer
/// and logs an error for every timeout.
/// </summary>
internal sealed class CancellableBodyStream(PipeReader reader) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }

        ReadResult result;
        await using (cancellationToken.UnsafeRegister(static r => ((PipeReader)r!).CancelPendingRead(), reader))
        {
            result = await reader.ReadAsync(CancellationToken.None);
        }

        var buffer = result.Buffer;
        if (result.IsCanceled)
        {
            reader.AdvanceTo(buffer.Start);
            cancellationToken.ThrowIfCancellationRequested();
            throw new OperationCanceledException("Reading the request body was cancelled.");
        }

        var count = (int)Math.Min(buffer.Length, destination.Length);
        buffer.Slice(0, count).CopyTo(destination.Span);
        reader.AdvanceTo(buffer.GetPosition(count));
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("The request body is read asynchronously.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
