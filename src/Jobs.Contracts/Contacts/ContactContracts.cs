
namespace Jobs.Contracts.Contacts;

/// <summary>A contact as the list shows it; <c>tags</c> in alphabetical order.</summary>
public sealed record ContactResponse(
    Guid Id,
    string Email,
    string? FirstName,
    string? LastName,
    string? Company,
    string? Phone,
    bool OptedOut,
    bool DoNotContact,
    IReadOnlyList<string> Tags,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A page of contacts in the requested order; <c>nextCursor</c> reads the next one.</summary>
public sealed record ContactListResponse(IReadOnlyList<ContactResponse> Items, string? NextCursor);

/// <summary>How many contacts match a filter, and the ids of the newest of them, newest first.</summary>
public sealed record ContactIdsResponse(long Total, IReadOnlyList<Guid> Ids);

/// <summary>A sequence contacts can be subscribed to, with how many are enrolled in it.</summary>
public sealed record SequenceResponse(Guid Id, string Name, long EnrolledCount, DateTimeOffset CreatedAt);

/// <summary>Every sequence of the workspace.</summary>
public sealed record SequenceListResponse(IReadOnlyList<SequenceResponse> Items);
