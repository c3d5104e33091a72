using System.Text.Json.Nodes;
using Jobs.Core.Engine.Catalog;
using Jobs.Worker.Handlers;
using Jobs.Worker.Processing;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Core.Tests;

/// <summary>
/// The shipped job types' generated payload schemas say at least what the hand-written ones said before they were
/// generated: <c>Fixtures/schemas/&lt;type&gt;.json</c> holds each type's schema as it was written by hand, and the
/// generated one must keep every constraint of it (<see cref="SchemaConstraints"/>).
/// </summary>
public sealed class ShippedJobTypeSchemaTests
{
    private static readonly IReadOnlyList<JobTypeDefinition> Shipped = new ServiceCollection().AddShippedJobHandlers().JobTypeDefinitionsIn();

    private static string FixturesDirectory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "schemas");

    public static TheoryData<string> HandWritten() =>
        new(Directory.GetFiles(FixturesDirectory, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(HandWritten))]
    public void GeneratedSchema_KeepsEveryConstraintOfTheHandWrittenOne(string type)
    {
        var old = JsonNode.Parse(File.ReadAllText(Path.Combine(FixturesDirectory, $"{type}.json")))!.AsObject();
        var definition = Shipped.SingleOrDefault(t => t.Name == type);

        definition.ShouldNotBeNull($"{type} is no longer a shipped job type");
        SchemaConstraints.Lost(old, definition.PayloadSchema).ShouldBeEmpty();
    }

    [Fact]
    public void TheComparison_FindsALooserBound_ADroppedRequirement_AndANewFieldInAClosedObject()
    {
        var old = JsonNode.Parse("""
            {"type":"object","additionalProperties":false,"required":["a"],
             "properties":{"a":{"type":"integer","minimum":1,"maximum":10},"b":{"type":"string","pattern":"\\S"}}}
            """)!.AsObject();
        var looser = JsonNode.Parse("""
            {"type":"object","additionalProperties":false,
             "properties":{"a":{"type":"integer","minimum":0,"maximum":10},"b":{"type":"string"},"c":{"type":"string"}}}
            """)!.AsObject();

        SchemaConstraints.Lost(old, looser).ShouldBe(
        [
            "payload: required: a is no longer required",
            "payload.a: minimum was 1, is 0",
            "payload.b: pattern is gone (was \"\\\\S\")",
            "payload.c is new in a closed object",
        ], ignoreOrder: true);
        SchemaConstraints.Lost(old, old).ShouldBeEmpty();
    }
}
