using System.Text.Json;
using Jobs.Contracts.Jobs;
using Jobs.Web.Components.Display;

namespace Jobs.Web.Tests;

public sealed class JobTextTests
{
    [Fact]
    public void Title_IsTheCatalogsTitle_OrTheMachineNameWithoutOne()
    {
        JobText.Title(Displays.Leads, "leads.discover").ShouldBe("Lead discovery");
        JobText.Title(null, "reports.nightly").ShouldBe("reports.nightly");
    }

    [Theory]
    [InlineData(JobStatus.Processing, "scoring", "Scoring and qualifying leads…")]
    [InlineData(JobStatus.Completed, "storing", "Completed")]
    [InlineData(JobStatus.Failed, "scoring", "Failed during scoring")]
    [InlineData(JobStatus.Cancelled, "enriching", "Cancelled during enriching")]
    [InlineData(JobStatus.Pending, null, "Waiting to start")]
    public void Stage_IsTheStagesSentenceWhileItRuns_AndTheEndingOnceItEnded(string status, string? stage, string shown) =>
        JobText.Stage(Displays.Leads, status, stage).ShouldBe(shown);

    [Fact]
    public void Stage_OfAFailure_NamesTheStageInTheCatalogsWords()
    {
        JobText.Stage(Displays.Diagram, JobStatus.Failed, "waiting_for_model").ShouldBe("Failed during the analysis");
        JobText.Stage(null, JobStatus.Failed, "waiting_for_model").ShouldBe("Failed during waiting for model");
    }

    [Fact]
    public void Sentence_OfAStageTheCatalogDoesNotDescribe_IsItsNameInWords() =>
        JobText.Sentence(Displays.Leads, "deduplicating").ShouldBe("Deduplicating…");

    [Fact]
    public void Items_CountWhatTheStageCounts()
    {
        JobText.Items(Displays.Subscribe, "subscribing", 45, 92).ShouldBe("45 of 92 contacts");
        JobText.Items(Displays.Leads, "enriching", 3, 5).ShouldBe("3 of 5 leads");
        JobText.Items(Displays.Leads, "discovering", 4, 20).ShouldBe("4 of 20 businesses");
        JobText.Items(null, null, 1200, null).ShouldBe("1,200 items");
        JobText.Items(Displays.Diagram, "waiting_for_model", null, null).ShouldBeNull();
    }

    [Fact]
    public void Items_OfOne_ReadInTheSingular()
    {
        JobText.Items(null, null, 1, 1).ShouldBe("1 of 1 item");
        JobText.Items(Displays.Leads, "scoring", 0, 1).ShouldBe("0 of 1 business");
        JobText.Items(Displays.Subscribe, "subscribing", 1, null).ShouldBe("1 contact");
    }

    [Fact]
    public void LongStep_CountsTheElapsedTime_AndSaysStillWithTheHint_AfterAWhile()
    {
        JobText.LongStep(Displays.Diagram, "waiting_for_model", TimeSpan.FromSeconds(5)).ShouldBe("Analyzing the diagram… 5 s");
        JobText.LongStep(Displays.Diagram, "waiting_for_model", TimeSpan.FromSeconds(10)).ShouldBe("Analyzing the diagram… 10 s");
        JobText.LongStep(Displays.Diagram, "waiting_for_model", TimeSpan.FromSeconds(45))
            .ShouldBe("Still analyzing the diagram… 45 s (a complex diagram takes longer)");
    }

    [Fact]
    public void Metrics_FollowTheCatalogsOrder_WithAPartOfItsWhole_AndCostSoFarWhileRunning()
    {
        using var json = JsonDocument.Parse("""{"avg_confidence": 72.5, "total_cost": 0.45, "leads_enriched": 3, "qualified_leads": 5, "businesses_found": 10}""");

        var running = JobText.Metrics(Displays.Leads, json.RootElement, ended: false);
        var ended = JobText.Metrics(Displays.Leads, json.RootElement, ended: true);

        running.Select(m => $"{m.Label}: {m.Value}").ShouldBe(
            ["Businesses found: 10", "Qualified leads: 5", "Enriched: 3/5", "Cost so far: $0.45", "Avg confidence: 72.5"]);
        ended.Single(m => m.Name == "total_cost").Label.ShouldBe("Cost");
    }
}
