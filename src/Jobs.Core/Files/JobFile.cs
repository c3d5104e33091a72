namespace Jobs.Core.Files;

/// <summary>A row of <c>job_files</c>: a file a job produced, named uniquely within its job.</summary>
public sealed record JobFile(
    Guid JobId,
    Guid WorkspaceId,
    string Name,
    string ContentType,
    long Size,
    DateTimeOffset CreatedAt)
{
    /// <summary>The longest name a job's file may have.</summary>
    public const int MaxNameLength = 100;

    /// <summary>
    /// Whether <paramref name="name"/> can name a job's file: 1 to 100 ASCII letters, digits, dots, dashes and
    /// underscores, starting with a letter or digit (the table's CHECK says the same). Such a name is safe in a URL path
    /// and in a Content-Disposition header as it is.
    /// </summary>
    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength }
        && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');
}
