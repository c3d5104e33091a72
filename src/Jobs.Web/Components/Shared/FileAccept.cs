namespace Jobs.Web.Components.Shared;

/// <summary>
/// An HTML <c>accept</c> list (".csv,text/csv", "image/png,image/jpeg") checked on the server too: the browser's
/// picker only suggests it, and a user can choose "All files".
/// </summary>
public sealed class FileAccept(string? accept)
{
    private readonly string[] _items = (accept ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public string? Value => _items.Length == 0 ? null : string.Join(',', _items);

    /// <summary>True when the list is empty, or the file's extension or its browser-given type is on it.</summary>
    public bool Allows(string fileName, string? contentType)
    {
        if (_items.Length == 0)
        {
            return true;
        }

        var extension = Path.GetExtension(fileName);
        var type = (contentType ?? "").Split(';')[0].Trim();
        return _items.Any(item => item.StartsWith('.')
            ? extension.Equals(item, StringComparison.OrdinalIgnoreCase)
            : item.EndsWith("/*", StringComparison.Ordinal)
                ? type.StartsWith(item[..^1], StringComparison.OrdinalIgnoreCase)
                : type.Equals(item, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>"PNG or JPEG", for messages: each item's subtype or extension, once.</summary>
    public string Describe()
    {
        var names = _items
            .Select(item => (item.StartsWith('.') ? item[1..] : item[(item.IndexOf('/') + 1)..]).ToUpperInvariant())
            .Where(name => name is { Length: > 0 } and not "*")
            .Distinct()
            .ToList();
        return names.Count switch
        {
            0 => "an accepted",
            1 => names[0],
            _ => $"{string.Join(", ", names[..^1])} or {names[^1]}",
        };
    }
}
