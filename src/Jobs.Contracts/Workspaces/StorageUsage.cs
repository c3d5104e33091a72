namespace Jobs.Contracts.Workspaces;

/// <summary>
/// The bytes a workspace stores in files (uploads and job files) and the most it may store: its own quota if the
/// operator set one, otherwise the platform's default (<c>Storage:DefaultQuotaBytes</c>).
/// </summary>
public sealed record StorageUsage(long UsedBytes, long QuotaBytes)
{
    /// <summary>Whether <paramref name="bytes"/> more fit (after <paramref name="freedBytes"/> are given back).</summary>
    public bool Fits(long bytes, long freedBytes = 0) => UsedBytes - freedBytes + bytes <= QuotaBytes;
}
