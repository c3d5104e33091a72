using Jobs.Core.Engine;

namespace Jobs.Core.Files;

/// <summary>
/// A file one attempt of a job produced. <see cref="Lease"/> fences the write (docs/design.md, "Leases and fencing"):
/// an attempt that lost its lease stores nothing, and a rerun replaces the file of the same name.
/// </summary>
public sealed record JobFileUpsertParams(JobLease Lease, Guid WorkspaceId, string Name, string ContentType);
