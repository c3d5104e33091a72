using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Jobs.Core.Engine.Catalog.Declarations;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary>
/// Which contacts an export takes; each filter is optional and they combine with AND. <see cref="Search"/> matches
/// anywhere in the email, first name, last name, full name or company, without regard to case.
/// </summary>
public sealed record ContactExportFilters(
    [Description("Only contacts with this tag.")]
    [StringLength(ContactTags.MaxLength, MinimumLength = 1), NotBlank]
    string? Tag = null,
    [Description("Only contacts that opted out (true) or did not (false).")]
    bool? OptedOut = null,
    [Description("Only contacts marked do-not-contact (true) or not (false).")]
    bool? DoNotContact = null,
    [Description("Only contacts whose email, name or company contains this text (any case).")]
    [StringLength(100, MinimumLength = 1)]
    string? Search = null);
