using System.Text.Json;
using Jobs.Web.Components.PayloadForm;

namespace Jobs.Web.Tests;

/// <summary>Fields read from a payload schema: a list of objects, typed as JSON, says the shape of its items.</summary>
public sealed class PayloadFieldTests
{
    [Fact]
    public void AListOfObjects_IsTypedAsJson_AndItsHelpNamesTheItemsMembers()
    {
        var schema = JsonDocument.Parse("""
            {"type":"object","required":["lines"],"properties":{
              "lines":{"type":"array","description":"What is billed.","items":{"type":"object","properties":{"description":{"type":"string"},"quantity":{"type":"number"}}}},
              "tags":{"type":"array","items":{"type":"string"}}}}
            """).RootElement;

        var fields = PayloadField.FromSchema(schema);

        var lines = fields.Single(f => f.Name == "lines");
        lines.JsonShape.ShouldBe("""[{"description": …, "quantity": …}]""");
        lines.HelperText.ShouldBe("""What is billed. As [{"description": …, "quantity": …}].""");
        fields.Single(f => f.Name == "tags").JsonShape.ShouldBeNull();
    }
}
