namespace Jobs.Worker.Handlers.Contacts;

/// <summary>Tags are compared without regard to case or surrounding spaces: they are stored trimmed and lower-cased.</summary>
public static class ContactTags
{
    public const int MaxLength = 50;
    public const int MaxPerJob = 20;

    public static string? Normalize(string? tag) =>
        string.IsNullOrWhiteSpace(tag) ? null : tag.Trim().ToLowerInvariant();
}
