using Jobs.Core.Engine.Catalog.Declarations;

namespace Jobs.Core.Tests;

public sealed class JobTypeDeclarationTests
{
    [JobType("test.sample", Title = "Sample", Items = "things", Bulk = true, Queue = "slow", MaxAttempts = 2, TimeoutSeconds = 60, Description = "Does a sample.")]
    [JobStage("first", "Doing the first…", During = "the first")]
    [JobStage("second", "Doing the second…", Items = "rows", Hint = "it is slow")]
    [JobStage("third", "Doing the third…")]
    [JobMetric("done", "Done")]
    [JobMetric("part", "Part", Of = "done")]
    [JobMetric("total_cost", "Cost")]
    private sealed class Sample;

    [JobType("test.plain", Description = "No display.", MaxAttempts = 1, TimeoutSeconds = 1)]
    private sealed class Plain;

    [JobType("test.no-description", MaxAttempts = 1, TimeoutSeconds = 1)]
    private sealed class NoDescription;

    [JobType("test.not-bulk", Description = "Takes batch items.", MaxAttempts = 1, TimeoutSeconds = 1)]
    private sealed class NotBulk;

    private sealed class Undeclared;

    [Fact]
    public void TheDefinition_IsWhatTheAttributesSay_StagesAndMetricsInTheOrderDeclared()
    {
        var definition = JobTypeDeclaration.Definition(typeof(Sample), typeof(PayloadSchemaGeneratorTests.Sample));

        (definition.Name, definition.Description, definition.Queue, definition.MaxAttempts, definition.TimeoutSeconds).ShouldBe(("test.sample", "Does a sample.", "slow", 2, 60));
        (definition.Bulk, definition.ItemsField).ShouldBe((true, "ids"));
        definition.PayloadSchema.ToJsonString().ShouldBe(PayloadSchemaGenerator.Generate(typeof(PayloadSchemaGeneratorTests.Sample)).ToJsonString());
        var display = definition.Display!;
        (display.Title, display.Items).ShouldBe(("Sample", "things"));
        display.Stages.Select(s => s.Name).ShouldBe(["first", "second", "third"]);
        display.Stages[0].DuringText.ShouldBe("the first");
        (display.Stages[1].Items, display.Stages[1].Hint).ShouldBe(("rows", "it is slow"));
        display.Metrics.Select(m => (m.Name, m.Of)).ShouldBe([("done", null), ("part", "done"), ("total_cost", null)]);
    }

    [Fact]
    public void AType_WithoutATitle_PublishesNoDisplay_OnTheDefaultQueue()
    {
        var definition = JobTypeDeclaration.Definition(typeof(Plain), typeof(PayloadSchemaGeneratorTests.Wipe));

        (definition.Display, definition.Queue, definition.Bulk, definition.ItemsField).ShouldBe((null, "default", false, null));
    }

    [Fact]
    public void ADeclarationThatDoesNotAddUp_IsRefused_SayingWhy()
    {
        Should.Throw<InvalidOperationException>(() => JobTypeDeclaration.Definition(typeof(NoDescription), typeof(PayloadSchemaGeneratorTests.Wipe)))
            .Message.ShouldContain("needs a Description");
        Should.Throw<InvalidOperationException>(() => JobTypeDeclaration.Definition(typeof(NotBulk), typeof(PayloadSchemaGeneratorTests.Sample)))
            .Message.ShouldContain("is not Bulk");
        Should.Throw<InvalidOperationException>(() => JobTypeDeclaration.Definition(typeof(Undeclared), typeof(PayloadSchemaGeneratorTests.Wipe)))
            .Message.ShouldContain("give it a [JobType]");
    }
}
