namespace Jobs.Core.Workloads.Contacts;

/// <summary>A row of <c>sequences</c> with the number of its enrollments.</summary>
public sealed record SequenceRow(Guid Id, string Name, long EnrolledCount, DateTimeOffset CreatedAt);
