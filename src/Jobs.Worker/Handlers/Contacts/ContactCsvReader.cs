using CsvHelper;
using Jobs.Core.Engine;
using Jobs.Core.Workloads.Contacts;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary>
/// Reads a contacts CSV (RFC 4180, comma-separated, UTF-8, a header row required) one row at a time, straight from
/// its stream: each row comes out valid and normalized (<see cref="Current"/>) or invalid with its line number and
/// reasons (<see cref="CurrentInvalid"/>). Header names are matched without regard to case, surrounding spaces, or
/// spaces and dashes for underscores ("First Name" is first_name); columns it does not know are ignored. A row whose
/// quoting is broken is reported, not guessed at; a later row with an email seen before is reported as a duplicate.
/// </summary>
public sealed class ContactCsvReader : IAsyncDisposable
{
    public static IReadOnlyList<string> Columns { get; } =
        ["email", "first_name", "last_name", "company", "phone", "opted_out", "do_not_contact"];

    private readonly CsvReader csv;
    private readonly Queue<InvalidImportRow> malformed;
    private readonly int[] columnIndexes;
    private readonly Dictionary<string, long> firstLineOfEmail = new(StringComparer.Ordinal);
    private (ContactImportRow? Row, InvalidImportRow? Invalid)? pending;
    private bool ended;

    private ContactCsvReader(CsvReader csv, Queue<InvalidImportRow> malformed, int[] columnIndexes, IReadOnlyList<string> ignoredColumns)
    {
        this.csv = csv;
        this.malformed = malformed;
        this.columnIndexes = columnIndexes;
        IgnoredColumns = ignoredColumns;
    }

    /// <summary>Header names the reader does not use, as the file spells them.</summary>
    public IReadOnlyList<string> IgnoredColumns { get; }

    /// <summary>The current row when it is valid.</summary>
    public ContactImportRow? Current { get; private set; }

    /// <summary>The current row when it is invalid.</summary>
    public InvalidImportRow? CurrentInvalid { get; private set; }

    /// <summary>How far into the file the reader is, in bytes, for progress.</summary>
    public long BytesRead => csv.ByteOffset;

    /// <summary>Opens the file and reads its header. Throws <see cref="NonRetryableJobException"/> when there is no email column.</summary>
    public static async Task<ContactCsvReader> OpenAsync(Stream content, CancellationToken cancellationToken)
    {
        var malformed = new Queue<InvalidImportRow>();
        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            HasHeader = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Skip,
            OnMalformedRecord = record => malformed.Enqueue(new InvalidImportRow(record.LineNumber, $"malformed CSV: {Describe(record.Reason)}")),
        };
        var csv = CsvReader.Create(content, options, leaveOpen: true);
        try
        {
            await csv.ReadHeaderAsync(cancellationToken);
            var headers = csv.Headers.ToList();
            if (headers.Count == 0 || headers.All(string.IsNullOrWhiteSpace))
            {
                throw new NonRetryableJobException("The file is empty: it needs a header row with an email column, such as email,first_name,last_name.");
            }

            var keys = headers.Select(Key).ToList();
            var indexes = Columns.Select(column => keys.IndexOf(column)).ToArray();
            if (indexes[0] < 0)
            {
                throw new NonRetryableJobException(
                    $"The file has no email column. Its header is \"{Shorten(string.Join(',', headers))}\"; the columns read are {string.Join(", ", Columns)}.");
            }

            var ignored = headers.Where((_, i) => !indexes.Contains(i)).ToList();
            return new ContactCsvReader(csv, malformed, indexes, ignored);
        }
        catch
        {
            await csv.DisposeAsync();
            throw;
        }
    }

    /// <summary>Moves to the next row, valid or not; false at the end of the file.</summary>
    public async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        Current = null;
        CurrentInvalid = null;
        // Malformed rows are reported in their place among the others: the reader skips them on its way to the next
        // record, which waits in pending until they are out.
        if (malformed.TryDequeue(out var skipped))
        {
            CurrentInvalid = skipped;
            return true;
        }

        if (pending is { } held)
        {
            pending = null;
            Take(held);
            return true;
        }

        if (ended || !await csv.ReadAsync(cancellationToken))
        {
            ended = true;
            if (malformed.TryDequeue(out var last))
            {
                CurrentInvalid = last;
                return true;
            }

            return false;
        }

        // The fields are read now: they are valid only until the next read.
        var record = ReadRecord();
        if (malformed.TryDequeue(out var before))
        {
            CurrentInvalid = before;
            pending = record;
            return true;
        }

        Take(record);
        return true;
    }

    private void Take((ContactImportRow? Row, InvalidImportRow? Invalid) record)
    {
        Current = record.Row;
        CurrentInvalid = record.Invalid;
    }

    private (ContactImportRow? Row, InvalidImportRow? Invalid) ReadRecord()
    {
        var line = (long)csv.LineNumber;
        string? Field(int column) => columnIndexes[column] < 0 ? null : csv.GetString(columnIndexes[column]);
        var (row, reason) = ContactRowValidator.Validate(line, Field(0), Field(1), Field(2), Field(3), Field(4), Field(5), Field(6));
        if (row is null)
        {
            return (null, new InvalidImportRow(line, reason!));
        }

        if (firstLineOfEmail.TryGetValue(row.Email, out var first))
        {
            return (null, new InvalidImportRow(line, $"duplicate email '{row.Email}' (first on line {first})"));
        }

        firstLineOfEmail[row.Email] = line;
        return (row, null);
    }

    private static string Key(string header) =>
        header.Trim().ToLowerInvariant().Replace(' ', '_').Replace('-', '_');

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "a quote inside an unquoted field (quote the field and double the quote)",
        CsvMalformedReason.TextAfterClosingQuote => "text after the closing quote of a field",
        CsvMalformedReason.UnterminatedQuote => "a quoted field that is never closed",
        CsvMalformedReason.LineBreakInQuotes => "a line break inside a quoted field",
        CsvMalformedReason.FieldCountMismatch => "a different number of fields than the header",
        _ => reason.ToString(),
    };

    private static string Shorten(string value) => value.Length <= 200 ? value : value[..200] + "…";

    public ValueTask DisposeAsync() => csv.DisposeAsync();
}
