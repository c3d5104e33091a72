using System.Data;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Core.Files;

/// <summary>
/// Reads a large object in chunks of <see cref="ChunkSize"/> bytes (<c>lo_get</c>), inside the repeatable-read
/// transaction that found its row, so that the content is the one the row described even if a rerun replaces the
/// file meanwhile. Owns the connection and the transaction; disposing the stream releases them.
/// </summary>
internal sealed class LargeObjectReadStream(NpgsqlConnection connection, NpgsqlTransaction transaction, uint oid, long length) : Stream
{
    /// <summary>Under the large-object heap's threshold, and few enough round trips for files of megabytes.</summary>
    public const int ChunkSize = 64 * 1024;

    private const string ChunkReadSql = "SELECT lo_get(@oid, @offset, @length)";

    private readonly byte[] chunk = new byte[ChunkSize];
    private int chunkStart;
    private int chunkEnd;
    private long fetched;
    private long position;
    private bool disposed;

    public override bool CanRead => !disposed;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException("File content is read from start to end.");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> destination)
    {
        if (chunkStart == chunkEnd && !Fetch())
        {
            return 0;
        }

        return Take(destination);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (chunkStart == chunkEnd && !await FetchAsync(cancellationToken))
        {
            return 0;
        }

        return Take(destination.Span);
    }

    private int Take(Span<byte> destination)
    {
        var count = Math.Min(destination.Length, chunkEnd - chunkStart);
        chunk.AsSpan(chunkStart, count).CopyTo(destination);
        chunkStart += count;
        position += count;
        return count;
    }

    private bool Fetch()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (fetched >= length)
        {
            return false;
        }

        using var command = ChunkRead();
        using var reader = command.ExecuteReader(CommandBehavior.SequentialAccess);
        reader.Read();
        return Fill(reader);
    }

    private async Task<bool> FetchAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (fetched >= length)
        {
            return false;
        }

        await using var command = ChunkRead();
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return Fill(reader);
    }

    private bool Fill(NpgsqlDataReader reader)
    {
        // Read straight into the chunk buffer: no array per chunk.
        var count = (int)reader.GetBytes(0, 0, chunk, 0, chunk.Length);
        chunkStart = 0;
        chunkEnd = count;
        fetched += count;
        return count > 0;
    }

    private NpgsqlCommand ChunkRead()
    {
        var command = new NpgsqlCommand(ChunkReadSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<uint>("oid", NpgsqlDbType.Oid) { TypedValue = oid });
        command.Parameters.Add(new NpgsqlParameter<long>("offset", NpgsqlDbType.Bigint) { TypedValue = fetched });
        command.Parameters.Add(new NpgsqlParameter<int>("length", NpgsqlDbType.Integer) { TypedValue = (int)Math.Min(ChunkSize, length - fetched) });
        return command;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !disposed)
        {
            disposed = true;
            transaction.Dispose();
            connection.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!disposed)
        {
            disposed = true;
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
