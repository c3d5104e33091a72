using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Engine.Catalog;

namespace Jobs.Core.Tests;

public sealed class PayloadValidatorTests
{
    private static readonly JsonObject Schema = JsonNode.Parse("""
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["name", "count"],
          "properties": {
            "name": { "type": "string", "minLength": 1, "maxLength": 10 },
            "count": { "type": "integer", "minimum": 1, "maximum": 100 },
            "ratio": { "type": "number", "minimum": 0, "maximum": 1 },
            "mode": { "type": "string", "enum": ["fast", "slow"] },
            "ids": { "type": "array", "minItems": 1, "maxItems": 3, "uniqueItems": true, "items": { "type": "string", "pattern": "^[a-z]+$" } }
          }
        }
        """)!.AsObject();

    private static IReadOnlyDictionary<string, string[]> Validate(string json) =>
        PayloadValidator.Validate(Schema, JsonDocument.Parse(json).RootElement);

    [Fact]
    public void Validate_AcceptsAPayloadThatFollowsTheSchema() =>
        Validate("""{"name":"a","count":5,"ratio":0.5,"mode":"fast","ids":["x","y"]}""").ShouldBeEmpty();

    [Fact]
    public void Validate_ReportsEveryMissingRequiredField()
    {
        var errors = Validate("{}");
        errors.Keys.ShouldBe(["name", "count"], ignoreOrder: true);
        errors["name"].ShouldBe(["is required."]);
    }

    [Fact]
    public void Validate_ReportsWrongTypes_WithWhatWasSent()
    {
        var errors = Validate("""{"name":5,"count":1.5}""");
        errors["name"].Single().ShouldBe("must be a string, not an integer.");
        errors["count"].Single().ShouldBe("must be an integer, not a fractional number.");
    }

    [Fact]
    public void Validate_ReportsBoundsLengthsEnumsAndUnknownFields()
    {
        var errors = Validate("""{"name":"waytoolongname","count":0,"ratio":2,"mode":"medium","extra":true}""");
        errors["name"].Single().ShouldContain("at most 10");
        errors["count"].Single().ShouldBe("must be at least 1, is 0.");
        errors["ratio"].Single().ShouldBe("must be at most 1, is 2.");
        errors["mode"].Single().ShouldContain("one of");
        errors["extra"].Single().ShouldBe("is not a field of this payload.");
    }

    [Fact]
    public void Validate_ChecksArraysAndNamesTheFailingItem()
    {
        var errors = Validate("""{"name":"a","count":1,"ids":["ok","NOT","ok"]}""");
        errors["ids"].ShouldBe(["must not contain duplicates."]);
        errors["ids[1]"].Single().ShouldStartWith("must match");

        Validate("""{"name":"a","count":1,"ids":[]}""")["ids"].Single().ShouldContain("at least 1");
        Validate("""{"name":"a","count":1,"ids":["a","b","c","d"]}""")["ids"].Single().ShouldContain("at most 3");
    }

    [Fact]
    public void Validate_WordsAPatternFailure_WithTheSchemasMessage_RatherThanTheExpression()
    {
        var schema = JsonNode.Parse("""
            { "type": "object", "properties": { "tag": { "type": "string", "pattern": "\\S", "x-pattern-message": "must not be blank." } } }
            """)!.AsObject();

        var errors = PayloadValidator.Validate(schema, JsonDocument.Parse("""{"tag":"   "}""").RootElement);

        errors["tag"].ShouldBe(["must not be blank."]);
    }

    [Fact]
    public void Validate_RejectsANonObjectPayload() =>
        Validate("[1,2]")["payload"].Single().ShouldBe("must be an object, not an array.");

    [Fact]
    public void Validate_OneOfRequiredAlternatives_NamesEachFieldConcerned_InsideNestedObjectsToo()
    {
        var schema = JsonNode.Parse("""
            { "type": "object", "properties": { "source": { "type": "object",
              "oneOf": [ { "required": ["a"] }, { "required": ["b"] }, { "required": ["c"] } ] } } }
            """)!.AsObject();
        IReadOnlyDictionary<string, string[]> Check(string json) => PayloadValidator.Validate(schema, JsonDocument.Parse(json).RootElement);

        Check("""{"source":{"b":1}}""").ShouldBeEmpty();
        Check("""{"source":{}}""")["source.c"].ShouldBe(["is required: give exactly one of a, b and c."]);
        var several = Check("""{"source":{"a":1,"b":2,"c":3}}""");
        several["source.b"].ShouldBe(["must not be given with a and c: give exactly one of a, b and c."]);
        several.Count.ShouldBe(3);
    }

    [Fact]
    public void Validate_RefusesAOneOfAlternativeBeyondRequiredProperties()
    {
        var schema = JsonNode.Parse("""{ "type": "object", "oneOf": [ { "required": ["a"], "properties": {} } ] }""")!.AsObject();

        Should.Throw<InvalidOperationException>(() => PayloadValidator.Validate(schema, JsonDocument.Parse("{}").RootElement));
    }
}
