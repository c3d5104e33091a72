using System.Text.Json;
using Jobs.Contracts.Jobs;

namespace Jobs.Core.Tests;

public sealed class JobTypeDisplayTests
{
    private static readonly JobTypeDisplay Leads = new("Lead discovery",
    [
        new("discovering", "Discovering businesses…") { Items = "businesses" },
        new("scoring", "Scoring and qualifying leads…"),
        new("waiting_for_model", "Analyzing…") { During = "the analysis", Hint = "it takes a while" },
    ])
    {
        Items = "leads",
        Metrics = [new("leads_enriched", "Enriched") { Of = "qualified_leads" }, new("total_cost", "Cost")],
    };

    [Fact]
    public void Display_IsStoredAndReadBackWhole_AsTheCatalogKeepsItInJson()
    {
        var json = JsonSerializer.Serialize(Leads, JsonSerializerOptions.Web);

        var read = JsonSerializer.Deserialize<JobTypeDisplay>(json, JsonSerializerOptions.Web)!;

        read.Title.ShouldBe("Lead discovery");
        read.Items.ShouldBe("leads");
        read.Stages.ShouldBe(Leads.Stages);
        read.Metrics.ShouldBe(Leads.Metrics);
    }

    [Fact]
    public void Stage_FindsAStageByItsName_AndNothingForAnotherName()
    {
        Leads.Stage("scoring")!.Sentence.ShouldBe("Scoring and qualifying leads…");
        Leads.Stage("storing").ShouldBeNull();
        Leads.Stage(null).ShouldBeNull();
    }

    [Fact]
    public void DuringText_IsTheStagesOwnWords_OrItsNameInWords()
    {
        Leads.Stage("waiting_for_model")!.DuringText.ShouldBe("the analysis");
        Leads.Stage("scoring")!.DuringText.ShouldBe("scoring");
        new JobStageDisplay("reading_journey", "Reading…").DuringText.ShouldBe("reading journey");
    }
}
