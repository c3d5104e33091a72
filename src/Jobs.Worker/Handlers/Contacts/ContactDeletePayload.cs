using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Jobs.Core.Engine.Catalog.Declarations;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary>
/// The payload of a <c>contacts.delete</c> job; the catalog's schema, generated from it, has validated it at submit. It
/// destroys contacts for good, so a form asks first.
/// </summary>
[Destructive]
public sealed record ContactDeletePayload(
    [Description("The contacts to delete, 1 to 1,000.")]
    [MinLength(1), MaxLength(ContactBatches.MaxContacts), UniqueItems, BatchItems, EachItem(Description = "A contact's id.")]
    IReadOnlyList<Guid> ContactIds);
