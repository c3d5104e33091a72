namespace Jobs.Worker.Handlers.Contacts;

/// <summary>
/// The result stored on a <c>contacts.import</c> job. <see cref="Imported"/> rows created contacts and
/// <see cref="Updated"/> rows updated existing ones (matched by email); <see cref="Invalid"/> lists the first
/// <see cref="ContactImportHandler.MaxInvalidListed"/> skipped rows with their line and reason, and
/// <see cref="InvalidCount"/> counts them all.
/// </summary>
public sealed record ContactImportResult(
    Guid UploadId,
    string FileName,
    long Rows,
    int Imported,
    int Updated,
    int InvalidCount,
    IReadOnlyList<InvalidImportRow> Invalid,
    bool InvalidTruncated,
    IReadOnlyList<string> IgnoredColumns);
