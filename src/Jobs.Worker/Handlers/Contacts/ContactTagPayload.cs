using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Jobs.Core.Engine.Catalog.Declarations;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary>The payload of a <c>contacts.tag</c> job; the catalog's schema, generated from it, has validated it at submit.</summary>
public sealed record ContactTagPayload(
    [Description("The contacts to tag, 1 to 1,000.")]
    [MinLength(1), MaxLength(ContactBatches.MaxContacts), UniqueItems, BatchItems, EachItem(Description = "A contact's id.")]
    IReadOnlyList<Guid> ContactIds,
    [Description("The tags to add, 1 to 20.")]
    [MinLength(1), MaxLength(ContactTags.MaxPerJob)]
    [EachItem(Description = "A tag; stored trimmed and in lower case.", MinLength = 1, MaxLength = ContactTags.MaxLength, NotBlank = true)]
    IReadOnlyList<string> Tags);
