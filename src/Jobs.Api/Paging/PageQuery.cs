namespace Jobs.Api.Paging;

/// <summary>
/// The query parameters every keyset-paged list shares (<c>limit</c>, <c>cursor</c>), parsed once so that each list
/// answers bad values with the same field errors.
/// </summary>
public static class PageQuery
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>The page size, or the default; adds a <c>limit</c> error when it is not an integer in range.</summary>
    public static int ParseLimit(string? limit, Dictionary<string, string[]> errors)
    {
        if (limit is null)
        {
            return DefaultPageSize;
        }

        if (!int.TryParse(limit, out var size) || size is < 1 or > MaxPageSize)
        {
            errors["limit"] = [$"must be an integer between 1 and {MaxPageSize}."];
            return DefaultPageSize;
        }

        return size;
    }

    /// <summary>An id cursor (lists ordered by UUIDv7 id); adds a <c>cursor</c> error when it is not one.</summary>
    public static Guid? ParseIdCursor(string? cursor, Dictionary<string, string[]> errors)
    {
        if (cursor is null)
        {
            return null;
        }

        if (Guid.TryParse(cursor, out var after))
        {
            return after;
        }

        errors["cursor"] = ["is not a cursor this API returned."];
        return null;
    }
}
