namespace Jobs.Worker.Handlers.Contacts;

/// <summary>The payload of a <c>contacts.export</c> job; without filters it exports every contact of the workspace.</summary>
public sealed record ContactExportPayload(ContactExportFilters? Filters);
