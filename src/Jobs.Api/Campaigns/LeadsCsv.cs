using CsvHelper;
using Jobs.Core.Workloads.Campaigns;

namespace Jobs.Api.Campaigns;

/// <summary>
/// A campaign's leads as RFC 4180 CSV (UTF-8, CRLF, a header row). Text that a spreadsheet would run as a formula
/// (starting with =, +, -, @) is escaped with a leading apostrophe: business names come from third parties.
/// </summary>
public static class LeadsCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static IReadOnlyList<string> Header { get; } =
    [
        "rank", "business_name", "confidence", "email", "email_status", "email_confidence", "phone", "website", "address",
        "rating", "reviews_count", "has_opening_hours", "business_status", "cost_usd", "place_id", "source",
    ];

    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with { Injection = CsvInjection.Escape, TrueValue = "true", FalseValue = "false" };

    public static async Task WriteAsync(Stream destination, IReadOnlyList<LeadRow> leads, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter.Create(destination, Options, leaveOpen: true);
        csv.WriteHeader([.. Header]);
        foreach (var lead in leads)
        {
            csv.WriteField(lead.Rank);
            csv.WriteField(lead.BusinessName);
            csv.WriteField(lead.Confidence);
            csv.WriteField(lead.Email);
            csv.WriteField(lead.EmailStatus);
            csv.WriteField(lead.EmailConfidence);
            csv.WriteField(lead.Phone);
            csv.WriteField(lead.Website);
            csv.WriteField(lead.Address);
            csv.WriteField(lead.Rating);
            csv.WriteField(lead.ReviewsCount);
            csv.WriteField(lead.HasOpeningHours);
            csv.WriteField(lead.BusinessStatus);
            csv.WriteField(lead.Cost);
            csv.WriteField(lead.PlaceId);
            csv.WriteField(lead.Source);
            await csv.EndRecordAsync(cancellationToken);
        }

        await csv.FlushAsync(cancellationToken);
    }

    /// <summary>A file name from the campaign's name: "plumbers in Austin, TX" gives <c>plumbers-in-austin-tx-leads.csv</c>.</summary>
    public static string FileName(string campaignName)
    {
        var slug = new string([.. campaignName.ToLowerInvariant().Select(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' ? c : '-')]);
        slug = string.Join('-', slug.Split('-', StringSplitOptions.RemoveEmptyEntries));
        if (slug.Length > 60)
        {
            slug = slug[..60].TrimEnd('-');
        }

        return (slug.Length == 0 ? "campaign" : slug) + "-leads.csv";
    }
}
