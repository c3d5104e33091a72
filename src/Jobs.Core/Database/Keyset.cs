namespace Jobs.Core.Database;

/// <summary>Keyset pages: a list statement reads one row more than the page, which says whether a next page exists.</summary>
internal static class Keyset
{
    /// <summary>The rows to read for a page of <paramref name="limit"/>: one more, so that no COUNT is needed.</summary>
    public static int RowsFor(int limit) => limit + 1;

    /// <summary>
    /// <paramref name="rows"/> cut to <paramref name="limit"/>, and the cursor of the next page (the last row's id), or
    /// null when the extra row was not there.
    /// </summary>
    public static (List<T> Items, Guid? Next) Page<T>(List<T> rows, int limit, Func<T, Guid> id)
    {
        if (rows.Count <= limit)
        {
            return (rows, null);
        }

        rows.RemoveRange(limit, rows.Count - limit);
        return (rows, id(rows[^1]));
    }
}
