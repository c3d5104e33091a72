namespace Jobs.Web.Api;

/// <summary>What the jobs list shows: a status, a type, the jobs of one schedule; null shows all.</summary>
public sealed record JobListFilter(string? Status, string? Type, Guid? ScheduleId);
