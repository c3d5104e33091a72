namespace Jobs.Worker.Handlers.Contacts;

/// <summary>A row an import skipped: its line in the file (1 is the header) and every reason, joined with "; ".</summary>
public sealed record InvalidImportRow(long Line, string Reason);
