using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Engine.Catalog;

namespace Jobs.Core.Tests;

/// <summary>
/// The bounds every payload keeps whatever its schema says (docs/design.md, "Admission, limits and fairness"): depth,
/// strings, numbers, error count.
/// </summary>
public sealed class PayloadLimitsTests
{
    // Describes almost nothing, as a permissive job type would: the bounds must hold in the parts it leaves open.
    private static readonly JsonObject Open = JsonNode.Parse("""
        { "type": "object", "properties": { "count": { "type": "integer" }, "note": { "type": "string", "maxLength": 200000 } } }
        """)!.AsObject();

    private static readonly PayloadLimits Limits = new(MaxDepth: 4, MaxStringLength: 10);

    private static IReadOnlyDictionary<string, string[]> Validate(string json) =>
        PayloadValidator.Validate(Open, JsonDocument.Parse(json).RootElement, Limits);

    [Theory]
    [InlineData("""{"a":{"b":{"c":{"d":1}}}}""")]
    [InlineData("""{"a":[[[1]]]}""")]
    public void NestingUpToTheMaximum_IsAccepted(string json) => Validate(json).ShouldBeEmpty();

    [Theory]
    [InlineData("""{"a":{"b":{"c":{"d":{}}}}}""", "a.b.c.d")]
    [InlineData("""{"a":[[[[1]]]]}""", "a[0][0][0]")]
    public void NestingBeyondTheMaximum_IsRefused_AtThePathWhereItGoesTooDeep(string json, string path) =>
        Validate(json)[path].ShouldHaveSingleItem().ShouldContain("nested too deeply");

    [Fact]
    public void Strings_TheSchemaDoesNotBound_AreCapped_InEveryPart()
    {
        var errors = Validate("""{"free":"12345678901","list":["ok","12345678901"],"note":"12345678901"}""");

        errors["free"].ShouldBe(["must be at most 10 characters long, is 11."]);
        errors["list[1]"].ShouldBe(["must be at most 10 characters long, is 11."]);
        errors.Keys.ShouldNotContain("note", "the schema's own maxLength governs a string it bounds");
    }

    [Fact]
    public void LongPropertyNames_AreRefused_AndNotEchoedWhole()
    {
        var name = new string('n', 5000);

        var errors = PayloadValidator.Validate(Open, JsonDocument.Parse($$"""{"{{name}}":1}""").RootElement, new PayloadLimits(32, 1000));

        var key = errors.Keys.ShouldHaveSingleItem();
        key.Length.ShouldBeLessThanOrEqualTo(PayloadValidator.MaxNameInPath + 1);
        errors[key][0].ShouldContain("at most 1000 characters");
    }

    [Theory]
    [InlineData("""{"count":1e400}""", "count", "is too large a number.")]
    [InlineData("""{"count":-1e400}""", "count", "is too large a number.")]
    [InlineData("""{"free":1e400}""", "free", "is too large a number.")]
    [InlineData("""{"count":99999999999999999999999}""", "count", "is too large: an integer must be between")]
    [InlineData("""{"count":1e5}""", "count", "must be written as a plain integer")]
    [InlineData("""{"count":1.5}""", "count", "must be an integer, not a fractional number.")]
    public void HugeOrOddNumbers_AreFieldErrors_NotExceptions(string json, string path, string message) =>
        Validate(json)[path].ShouldHaveSingleItem().ShouldStartWith(message);

    [Fact]
    public void ErrorsAreListed_UpToTheMaximum_AndTheRestCounted()
    {
        var items = string.Join(",", Enumerable.Range(0, 1001).Select(_ => "\"12345678901\""));

        var errors = Validate($$"""{"list":[{{items}}]}""");

        errors.Count.ShouldBe(PayloadValidator.MaxErrors + 1);
        errors["payload"].ShouldHaveSingleItem().ShouldContain($"{1001 - PayloadValidator.MaxErrors} more");
    }
}
