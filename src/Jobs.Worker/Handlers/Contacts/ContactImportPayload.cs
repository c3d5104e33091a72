using System.ComponentModel;
using Jobs.Core.Engine.Catalog.Declarations;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary>The payload of a <c>contacts.import</c> job: a CSV uploaded first with <c>POST /api/uploads</c>.</summary>
public sealed record ContactImportPayload(
    [Description("The CSV, as POST /api/uploads answered.")]
    [Upload(".csv,text/csv")]
    Guid UploadId);
