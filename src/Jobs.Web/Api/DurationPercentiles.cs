namespace Jobs.Web.Api;

/// <summary>Run time of the jobs completed in the last hour, in seconds; null while there are none.</summary>
public sealed record DurationPercentiles(long Count, double? P50, double? P95, double? P99);
