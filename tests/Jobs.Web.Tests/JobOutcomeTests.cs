using System.Text.Json;
using Jobs.Web.Components.Display;

namespace Jobs.Web.Tests;

public sealed class JobOutcomeTests
{
    private static readonly Guid JobId = Guid.Parse("0198a0c0-0000-7000-8000-000000000001");
    private static readonly JsonElement NoMetrics = JsonDocument.Parse("{}").RootElement;

    [Fact]
    public void Subscription_CountsTheSubscribed_AndTheSkippedWithTheirReasons()
    {
        var result = Json("""
            {"succeeded": ["a", "b"], "failed": [],
             "blocked": [{"contactId": "c", "reason": "already_enrolled"}, {"contactId": "d", "reason": "already_enrolled"}, {"contactId": "e", "reason": "opted_out"}]}
            """);

        JobOutcome.Of(JobId, "contacts.subscribe", result, NoMetrics).Text.ShouldBe("2 subscribed · 3 skipped (2 already enrolled, 1 opted out)");
    }

    [Fact]
    public void Subscription_WithOneReason_SaysItOnce() =>
        JobOutcome.Of(JobId, "contacts.subscribe", Json("""{"succeeded": ["a"], "blocked": [{"reason": "already_enrolled"}], "failed": [{"contactId": "x"}]}"""), NoMetrics)
            .Text.ShouldBe("1 subscribed · 1 skipped (already enrolled) · 1 failed");

    [Fact]
    public void LeadDiscovery_CountsQualifiedLeadsAndCost_AndLinksToTheCampaign()
    {
        var summary = JobOutcome.Of(JobId, "leads.discover", Json("""{"campaignId": "0198a0c0-0000-7000-8000-0000000000aa", "qualifiedLeads": 8, "totalCost": 0.6}"""), NoMetrics);

        summary.Text.ShouldBe("8 qualified leads · $0.60");
        summary.Link.ShouldBe(new JobOutcome.Link("View results", "/campaigns/0198a0c0-0000-7000-8000-0000000000aa"));
    }

    [Fact]
    public void Export_LinksToItsFile()
    {
        var summary = JobOutcome.Of(JobId, "contacts.export", Json("""{"file": "contacts.csv", "rows": 2}"""), NoMetrics);

        summary.Text.ShouldBe("2 contacts exported");
        summary.Link!.Url.ShouldBe($"/download/jobs/{JobId}/files/contacts.csv");
    }

    [Fact]
    public void Import_AlwaysCountsItsInvalidRows() =>
        JobOutcome.Of(JobId, "contacts.import", Json("""{"imported": 2, "updated": 0, "invalidCount": 2}"""), NoMetrics)
            .Text.ShouldBe("2 imported · 2 invalid rows");

    [Fact]
    public void UnknownType_SaysNothingOfItsOwn() =>
        JobOutcome.Of(JobId, "reports.nightly", Json("""{"rows": 2}"""), NoMetrics).ShouldBe(new JobOutcome.Summary(null, null));

    [Fact]
    public void Subject_ReadsWhatTheJobWorksOn_FromItsPayload()
    {
        JobOutcome.Subject("leads.discover", Json("""{"businessType": "plumbers", "location": "Austin, TX"}""")).ShouldBe("plumbers in Austin, TX");
        JobOutcome.Subject("contacts.delete", Json("""{"contactIds": ["a"]}""")).ShouldBe("1 contact");
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;
}
