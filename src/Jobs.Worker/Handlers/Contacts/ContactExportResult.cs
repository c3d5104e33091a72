namespace Jobs.Worker.Handlers.Contacts;

/// <summary>
/// The result stored on a <c>contacts.export</c> job: the name of the job's file, its rows (the header not counted),
/// its size in bytes, and where to download it.
/// </summary>
public sealed record ContactExportResult(string File, long Rows, long Size, string ContentType, string Url);
