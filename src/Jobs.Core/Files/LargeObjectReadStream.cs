using System.Data;
using Npgsql;

namespace Jobs.Core.Files;

/// <summary>
/// Reads a file's large object in chunks of <see cref="ChunkSize"/> bytes, each with one statement on a pooled
/// connection taken for that statement only: a client that reads slowly (a download over a slow link) holds no
/// connection and no transaction between chunks, so it neither drains the pool nor holds back VACUUM.
/// <para>
/// Each chunk's statement reads <c>lo_get</c> only while the file's row still names the same large object, in one
/// snapshot: when a rerun replaces the file (or retention deletes it) part-way, the read fails with an
/// <see cref="IOException"/> instead of mixing two versions. Seekable, so that HTTP range requests read only their range.
/// </para>
/// </summary>
internal sealed class LargeObjectReadStream(NpgsqlDataSource dataSource, string chunkSql, Action<NpgsqlCommand> bindRow, uint oid, long length) : Stream
{
    /// <summary>Under the large-object heap's threshold, and few enough round trips for files of megabytes.</summary>
    public const int ChunkSize = 64 * 1024;

    private readonly byte[] chunk = new byte[ChunkSize];
    private int chunkStart;
    private int chunkEnd;
    private long position;
    private bool disposed;

    public override bool CanRead => !disposed;

    public override bool CanSeek => !disposed;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            SeekOrigin.End => length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        if (target != position)
        {
            position = target;
            chunkStart = chunkEnd = 0;
        }

        return position;
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
        if (position >= length)
        {
            return false;
        }

        using var command = ChunkRead();
        using var reader = command.ExecuteReader(CommandBehavior.SequentialAccess);
        return reader.Read() ? Fill(reader) : throw Changed();
    }

    private async Task<bool> FetchAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (position >= length)
        {
            return false;
        }

        await using var command = ChunkRead();
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Fill(reader) : throw Changed();
    }

    private bool Fill(NpgsqlDataReader reader)
    {
        // Read straight into the chunk buffer: no array per chunk.
        var count = (int)reader.GetBytes(0, 0, chunk, 0, chunk.Length);
        chunkStart = 0;
        chunkEnd = count;
        return count > 0;
    }

    /// <summary>A command of the data source: it takes a pooled connection for its execution and returns it after.</summary>
    private NpgsqlCommand ChunkRead()
    {
        var command = dataSource.CreateCommand(chunkSql);
        bindRow(command);
        command.Parameters.Add(new NpgsqlParameter<uint>("oid", NpgsqlTypes.NpgsqlDbType.Oid) { TypedValue = oid });
        command.Parameters.Add(new NpgsqlParameter<long>("offset", NpgsqlTypes.NpgsqlDbType.Bigint) { TypedValue = position });
        command.Parameters.Add(new NpgsqlParameter<int>("length", NpgsqlTypes.NpgsqlDbType.Integer) { TypedValue = (int)Math.Min(ChunkSize, length - position) });
        return command;
    }

    private static IOException Changed() => new("The file was replaced or deleted while it was being read; read it again.");

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        disposed = true;
        base.Dispose(disposing);
    }
}
