using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Jobs.Core.Engine.Catalog.Declarations;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary>The payload of a <c>contacts.subscribe</c> job; the catalog's schema, generated from it, has validated it at submit.</summary>
public sealed record ContactSubscribePayload(
    [Description("The sequence to enroll the contacts in (GET /api/sequences).")]
    Guid SequenceId,
    [Description("The contacts to enroll, 1 to 1,000 (GET /api/contacts).")]
    [MinLength(1), MaxLength(ContactBatches.MaxContacts), UniqueItems, BatchItems, EachItem(Description = "A contact's id.")]
    IReadOnlyList<Guid> ContactIds);
