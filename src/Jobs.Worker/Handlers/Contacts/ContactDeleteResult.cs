namespace Jobs.Worker.Handlers.Contacts;

/// <summary>The result stored on a <c>contacts.delete</c> job: how many contacts it deleted, and the ids the workspace did not have.</summary>
public sealed record ContactDeleteResult(int Total, int Deleted, IReadOnlyList<Guid> NotFound);
