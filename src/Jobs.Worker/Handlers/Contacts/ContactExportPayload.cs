using System.ComponentModel;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary>The payload of a <c>contacts.export</c> job; without filters it exports every contact of the workspace.</summary>
public sealed record ContactExportPayload(
    [Description("Which contacts to export; every filter is optional, and they combine.")]
    ContactExportFilters? Filters);
