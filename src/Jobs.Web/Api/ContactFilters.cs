namespace Jobs.Web.Api;

/// <summary>What the contacts page filters on; null fields do not filter.</summary>
public sealed record ContactFilters(string? Tag, string? Search, bool? OptedOut, bool? DoNotContact);
