using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Files;

/// <summary>
/// New file content, written into a PostgreSQL large object in chunks of <see cref="ChunkSize"/> bytes inside a
/// transaction of its own: however big the file, a process holds one chunk of it. Nothing is visible until
/// <see cref="IFileStore"/> commits it as an upload or a job's file, in the same transaction; disposing it before
/// that discards it (the large object is rolled back with the transaction, so a crash leaves nothing behind).
/// It holds a connection and an open transaction from creation to commit: feed it at the pace of a producer on our side
/// (a job writing its output), never at a remote client's.
/// </summary>
public sealed class FileContentWriter : Stream
{
    /// <summary>Bytes sent to the server per round trip.</summary>
    public const int ChunkSize = 256 * 1024;

    private const string ChunkWriteSql = "SELECT lo_put(@oid, @offset, @data)";

    private readonly byte[] buffer = new byte[ChunkSize];
    private int buffered;
    private long written;
    private bool committed;
    private bool disposed;

    internal FileContentWriter(NpgsqlConnection connection, NpgsqlTransaction transaction, uint oid)
    {
        Connection = connection;
        Transaction = transaction;
        Oid = oid;
    }

    internal NpgsqlConnection Connection { get; }

    internal NpgsqlTransaction Transaction { get; }

    internal uint Oid { get; }

    /// <summary>Bytes written so far.</summary>
    public long Size => written + buffered;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !disposed && !committed;

    public override long Length => Size;

    public override long Position
    {
        get => Size;
        set => throw new NotSupportedException("File content is written from start to end.");
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> source)
    {
        while (!source.IsEmpty)
        {
            var taken = Append(source);
            source = source[taken..];
            if (buffered == ChunkSize)
            {
                WriteChunk();
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        while (!source.IsEmpty)
        {
            var taken = Append(source.Span);
            source = source[taken..];
            if (buffered == ChunkSize)
            {
                await WriteChunkAsync(cancellationToken);
            }
        }
    }

    /// <summary>Sends what is buffered to the server (still uncommitted).</summary>
    public override void Flush() => WriteChunk();

    public override Task FlushAsync(CancellationToken cancellationToken) => WriteChunkAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Called by the store once the transaction has committed: disposing must not roll it back then.</summary>
    internal void MarkCommitted() => committed = true;

    private int Append(ReadOnlySpan<byte> source)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (committed)
        {
            throw new InvalidOperationException("This content is committed; it cannot change any more.");
        }

        var taken = Math.Min(source.Length, ChunkSize - buffered);
        source[..taken].CopyTo(buffer.AsSpan(buffered));
        buffered += taken;
        return taken;
    }

    private void WriteChunk()
    {
        if (buffered == 0)
        {
            return;
        }

        using var command = ChunkWrite();
        command.ExecuteNonQuery();
        written += buffered;
        buffered = 0;
    }

    private async Task WriteChunkAsync(CancellationToken cancellationToken)
    {
        if (buffered == 0)
        {
            return;
        }

        await using var command = ChunkWrite();
        await command.ExecuteNonQueryAsync(cancellationToken);
        written += buffered;
        buffered = 0;
    }

    private NpgsqlCommand ChunkWrite()
    {
        var command = new NpgsqlCommand(ChunkWriteSql, Connection, Transaction);
        command.Parameters.Add(new NpgsqlParameter<uint>("oid", NpgsqlDbType.Oid) { TypedValue = Oid });
        command.Parameters.Add(new NpgsqlParameter<long>("offset", NpgsqlDbType.Bigint) { TypedValue = written });
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>>("data", NpgsqlDbType.Bytea) { TypedValue = buffer.AsMemory(0, buffered) });
        return command;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !disposed)
        {
            disposed = true;
            // Uncommitted: disposing the transaction rolls it back, and the large object with it.
            Transaction.Dispose();
            Connection.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!disposed)
        {
            disposed = true;
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
