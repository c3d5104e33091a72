using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Jobs.Core.Engine.Catalog.Declarations;

namespace Jobs.Worker.Handlers.Leads;

/// <summary>The payload of a <c>leads.discover</c> job; the catalog's schema, generated from it, has validated it at submit.</summary>
public sealed record LeadDiscoveryPayload(
    [Description("What kind of business, as you would search a map for it: \"plumbers\", \"dentists\".")]
    [StringLength(100, MinimumLength = 1), NotBlank]
    string BusinessType,
    [Description("Where: a city, a neighbourhood, a region (\"Austin, TX\").")]
    [StringLength(200, MinimumLength = 1), NotBlank]
    string Location,
    [Description("At most this many leads are kept, the most confident first.")]
    [Range(1, 100)]
    int MaxResults = LeadDiscoveryPayload.DefaultMaxResults,
    [Description("Businesses scoring under this confidence (0–100) are dropped.")]
    [Range(0, 100)]
    int MinConfidenceScore = LeadDiscoveryPayload.DefaultMinConfidenceScore)
{
    public const int DefaultMaxResults = 20;
    public const int DefaultMinConfidenceScore = 50;
}
