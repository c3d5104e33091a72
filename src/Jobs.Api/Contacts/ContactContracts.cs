using Jobs.Core.Workloads.Contacts;

namespace Jobs.Api.Contacts;

/// <summary>A contact as the list shows it; <see cref="Tags"/> in alphabetical order.</summary>
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
    DateTimeOffset UpdatedAt)
{
    public static ContactResponse From(ContactRow c) => new(
        c.Id, c.Email, c.FirstName, c.LastName, c.Company, c.Phone, c.OptedOut, c.DoNotContact, c.Tags, c.CreatedAt, c.UpdatedAt);
}

public sealed record ContactListResponse(IReadOnlyList<ContactResponse> Items, string? NextCursor);

/// <summary>How many contacts match a filter, and the ids of the newest of them, newest first.</summary>
public sealed record ContactIdsResponse(long Total, IReadOnlyList<Guid> Ids);

/// <summary>A sequence contacts can be subscribed to, with how many are enrolled in it.</summary>
public sealed record SequenceResponse(Guid Id, string Name, long EnrolledCount, DateTimeOffset CreatedAt);

public sealed record SequenceListResponse(IReadOnlyList<SequenceResponse> Items);
