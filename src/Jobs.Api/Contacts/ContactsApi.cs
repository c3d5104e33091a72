using Jobs.Api.Jobs;
using Jobs.Api.Problems;
using Jobs.Contracts.Contacts;
using Jobs.Core.Workloads.Contacts;
using Microsoft.AspNetCore.Http.HttpResults;

using Jobs.Api.Paging;

namespace Jobs.Api.Contacts;

/// <summary>
/// The contacts and sequences that the contact jobs (<c>contacts.*</c>) work on. Changes go through those jobs; these
/// endpoints read, scoped to the caller's workspace.
/// </summary>
public static class ContactsApi
{
    public const int MaxTagLength = 50;
    public const int MaxSearchLength = 100;

    /// <summary>
    /// The most ids one answer of <c>GET /api/contacts/ids</c> lists: the largest bulk job
    /// (docs/design.md, "Admission, limits and fairness").
    /// </summary>
    public const int MaxIds = 1000;

    public static RouteGroupBuilder MapContactsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api")
            .RequireAuthorization()
            .WithTags("Contacts");

        api.MapGet("/contacts", ListContacts)
            .WithName("ListContacts")
            .WithSummary("Contacts, filtered by tag, search text and flags, newest first or by email, with keyset pagination");
        api.MapGet("/contacts/ids", ListContactIds)
            .WithName("ListContactIds")
            .WithSummary("How many contacts match the filters, and the ids of the newest of them (at most 1,000): for selecting all of them for a bulk job");
        api.MapGet("/sequences", ListSequences)
            .WithName("ListSequences")
            .WithSummary("The sequences contacts can be subscribed to, with how many are enrolled in each");
        return api;
    }

    public static async Task<Results<Ok<ContactListResponse>, ValidationProblem>> ListContacts(
        string? tag,
        string? search,
        string? optedOut,
        string? doNotContact,
        string? sort,
        string? limit,
        string? cursor,
        [AsParameters] ContactServices services,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (normalizedTag, opted, dnc) = ParseFilters(tag, search, optedOut, doNotContact, errors);
        ContactSort? order = sort?.ToLowerInvariant() switch
        {
            null or "newest" => ContactSort.Newest,
            "email" => ContactSort.Email,
            _ => null,
        };
        if (order is null)
        {
            errors["sort"] = ["must be newest or email."];
        }

        var size = PageQuery.ParseLimit(limit, errors);

        ContactCursor? after = null;
        if (cursor is not null && (!ContactCursor.TryDecode(cursor, out after) || after!.Sort != (order ?? ContactSort.Newest)))
        {
            errors["cursor"] = ["is not a cursor this API returned for this sort."];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var filter = new ContactFilter(normalizedTag, search, opted, dnc, order!.Value, size, after);
        var (items, next) = await PageAsync(services.Store, services.Caller.WorkspaceId, filter, cancellationToken);
        return TypedResults.Ok(new ContactListResponse(items.Select(ContactResponse.From).ToList(), next?.Encode()));
    }

    /// <summary>The same filters as <see cref="ListContacts"/>; <c>limit</c> from 0 (only the total) to 1,000, 1,000 by default.</summary>
    public static async Task<Results<Ok<ContactIdsResponse>, ValidationProblem>> ListContactIds(
        string? tag,
        string? search,
        string? optedOut,
        string? doNotContact,
        string? limit,
        [AsParameters] ContactServices services,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (normalizedTag, opted, dnc) = ParseFilters(tag, search, optedOut, doNotContact, errors);
        var size = MaxIds;
        if (limit is not null && (!int.TryParse(limit, out size) || size is < 0 or > MaxIds))
        {
            errors["limit"] = [$"must be an integer between 0 and {MaxIds}."];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var filter = new ContactFilter(normalizedTag, search, opted, dnc, ContactSort.Newest, size, null);
        var (total, ids) = await services.Store.ContactIdsAsync(services.Caller.WorkspaceId, filter.Match, filter.Limit, cancellationToken);
        return TypedResults.Ok(new ContactIdsResponse(total, ids));
    }

    public static async Task<Ok<SequenceListResponse>> ListSequences([AsParameters] ContactServices services, CancellationToken cancellationToken)
    {
        var sequences = await services.Store.SequenceListAsync(services.Caller.WorkspaceId, cancellationToken);
        return TypedResults.Ok(new SequenceListResponse(sequences.Select(s => new SequenceResponse(s.Id, s.Name, s.EnrolledCount, s.CreatedAt)).ToList()));
    }

    /// <summary>One page; the next cursor is null on the last page.</summary>
    private static async Task<(IReadOnlyList<ContactRow> Items, ContactCursor? Next)> PageAsync(
        IContactStore store, Guid workspaceId, ContactFilter filter, CancellationToken cancellationToken)
    {
        // One extra row says whether there is a next page without a COUNT.
        var contacts = (await store.ContactListAsync(
            workspaceId, filter.Match, filter.Sort, filter.After?.Id, filter.After?.Email, filter.Limit + 1, cancellationToken)).ToList();
        if (contacts.Count <= filter.Limit)
        {
            return (contacts, null);
        }

        contacts.RemoveAt(contacts.Count - 1);
        return (contacts, ContactCursor.After(contacts[^1], filter.Sort));
    }

    /// <summary>The filters both lists take, each checked; the tag as stored (trimmed, lower case).</summary>
    private static (string? Tag, bool? OptedOut, bool? DoNotContact) ParseFilters(
        string? tag, string? search, string? optedOut, string? doNotContact, Dictionary<string, string[]> errors)
    {
        var normalizedTag = string.IsNullOrWhiteSpace(tag) ? null : tag.Trim().ToLowerInvariant();
        if (normalizedTag is { Length: > MaxTagLength })
        {
            errors["tag"] = [$"must be at most {MaxTagLength} characters long."];
        }

        if (search is { Length: > MaxSearchLength })
        {
            errors["search"] = [$"must be at most {MaxSearchLength} characters long."];
        }

        return (normalizedTag, Flag("optedOut", optedOut, errors), Flag("doNotContact", doNotContact, errors));
    }

    private static bool? Flag(string name, string? value, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (bool.TryParse(value, out var flag))
        {
            return flag;
        }

        errors[name] = ["must be true or false."];
        return null;
    }
}
