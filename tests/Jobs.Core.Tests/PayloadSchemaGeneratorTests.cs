using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Contracts.Jobs;
using Jobs.Core.Engine.Catalog;
using Jobs.Core.Engine.Catalog.Declarations;

namespace Jobs.Core.Tests;

public sealed class PayloadSchemaGeneratorTests
{
    public enum Speed
    {
        Fast,
        VerySlow,
    }

    public sealed record Filters([StringLength(20)] string? Tag = null, bool? Active = null);

    public sealed record Sample(
        [Description("A name.")]
        [StringLength(10, MinimumLength = 1), NotBlank]
        string Name,
        [Range(1, 100)]
        int Count,
        Guid Id,
        Speed Mode,
        [MinLength(1), MaxLength(3), UniqueItems, BatchItems, EachItem(Description = "An id.")]
        IReadOnlyList<Guid> Ids,
        [EachItem(MinLength = 1, MaxLength = 5, NotBlank = true)]
        IReadOnlyList<string>? Tags = null,
        [Range(0.5, 2.5)]
        double Ratio = 1,
        string? Note = null,
        Filters? Filters = null)
    {
        public required string Owner { get; init; }

        [FormHidden, Upload("image/png")]
        public Guid? Picture { get; init; }
    }

    [ExactlyOneOf(nameof(Text), nameof(FileId))]
    public sealed record Either(string? Text = null, Guid? FileId = null, string? Note = null);

    [Destructive]
    public sealed record Wipe([Description("What to wipe.")] Guid Target);

    public sealed record WithEmail([EmailAddress] string Email);

    public sealed record WithExclusiveRange([Range(0, 10, MinimumIsExclusive = true)] int Count);

    private static JsonObject SampleSchema => PayloadSchemaGenerator.Generate(typeof(Sample));

    [Fact]
    public void Required_AreTheNonNullableParametersWithoutADefault_AndTheRequiredMembers()
    {
        SampleSchema["required"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["name", "count", "id", "mode", "ids", "owner"], ignoreOrder: true);
    }

    [Fact]
    public void AttributesBecomeTheirKeywords_OnStringsNumbersAndLists()
    {
        var properties = SampleSchema["properties"]!;

        Json(properties["name"]).ShouldBe("""{"type":"string","description":"A name.","minLength":1,"maxLength":10,"pattern":"\\S","x-pattern-message":"must not be blank."}""");
        Json(properties["count"]).ShouldBe("""{"type":"integer","minimum":1,"maximum":100}""");
        Json(properties["ratio"]).ShouldBe("""{"type":"number","default":1,"minimum":0.5,"maximum":2.5}""");
        var ids = properties["ids"]!;
        Json(ids).ShouldStartWith("""{"type":"array","items":""");
        (ids["minItems"]!.GetValue<int>(), ids["maxItems"]!.GetValue<int>(), ids["uniqueItems"]!.GetValue<bool>()).ShouldBe((1, 3, true));
        ids["items"]!["description"]!.GetValue<string>().ShouldBe("An id.");
        Json(properties["tags"]!["items"]).ShouldBe("""{"type":"string","minLength":1,"maxLength":5,"pattern":"\\S","x-pattern-message":"must not be blank."}""");
        (properties["picture"]![SchemaKeywords.FormHidden]!.GetValue<bool>(), properties["picture"]![SchemaKeywords.Accept]!.GetValue<string>()).ShouldBe((true, "image/png"));
    }

    [Fact]
    public void Ids_HaveTheIdPattern_EnumsTheirNames_ObjectsAreClosed_AndNullableMeansOptional()
    {
        var schema = SampleSchema;
        var properties = schema["properties"]!;

        properties["id"]!["format"]!.GetValue<string>().ShouldBe("uuid");
        properties["id"]!["pattern"]!.GetValue<string>().ShouldBe(PayloadSchemaGenerator.UuidPattern);
        properties["ids"]!["items"]!["pattern"]!.GetValue<string>().ShouldBe(PayloadSchemaGenerator.UuidPattern);
        Json(properties["mode"]).ShouldBe("""{"enum":["fast","verySlow"]}""");
        Json(properties["note"]).ShouldBe("""{"type":"string"}""", "nullable: one type, no default of null");
        schema["additionalProperties"]!.GetValue<bool>().ShouldBeFalse();
        properties["filters"]!["type"]!.GetValue<string>().ShouldBe("object");
        properties["filters"]!["additionalProperties"]!.GetValue<bool>().ShouldBeFalse();
        properties["filters"]!.AsObject().ContainsKey("required").ShouldBeFalse();
        PayloadSchemaGenerator.ItemsFieldOf(typeof(Sample)).ShouldBe("ids");
        PayloadSchemaGenerator.ItemsFieldOf(typeof(Wipe)).ShouldBeNull();
    }

    [Fact]
    public void TheValidator_HoldsPayloadsToTheGeneratedSchema_AsTheHandlerReadsThem()
    {
        const string good = """{"name":"a","count":5,"id":"0191d2c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d","mode":"verySlow","ids":["0191d2c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d"],"owner":"me"}""";
        PayloadValidator.Validate(SampleSchema, JsonDocument.Parse(good).RootElement).ShouldBeEmpty();
        JsonSerializer.Deserialize<Sample>(good, JobJson.Options)!.Mode.ShouldBe(Speed.VerySlow);

        var errors = PayloadValidator.Validate(SampleSchema, JsonDocument.Parse(
            """{"name":" ","count":"5","id":"x","mode":"VerySlow","ids":[],"owner":"me","extra":1,"filters":{"other":true}}""").RootElement);

        errors.Keys.ShouldBe(["name", "count", "id", "mode", "ids", "extra", "filters.other"], ignoreOrder: true);
        errors["count"].ShouldBe(["must be an integer, not a string."]);
        errors["id"].ShouldBe([PayloadSchemaGenerator.UuidMessage]);
    }

    [Fact]
    public void ExactlyOneOf_IsAOneOfOfRequiredAlternatives_WhichTheValidatorExplainsPerField()
    {
        var schema = PayloadSchemaGenerator.Generate(typeof(Either));
        IReadOnlyDictionary<string, string[]> Validate(string json) => PayloadValidator.Validate(schema, JsonDocument.Parse(json).RootElement);

        Json(schema["oneOf"]).ShouldBe("""[{"required":["text"]},{"required":["fileId"]}]""");
        Validate("""{"text":"hi"}""").ShouldBeEmpty();
        Validate("""{"text":null,"fileId":"0191d2c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d"}""").ShouldBeEmpty();
        var neither = Validate("""{"note":"n"}""");
        neither.Keys.ShouldBe(["text", "fileId"], ignoreOrder: true);
        neither["fileId"].ShouldBe(["is required: give exactly one of text and fileId."]);
        Validate("""{"text":"hi","fileId":"0191d2c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d"}""")["text"]
            .ShouldBe(["must not be given with fileId: give exactly one of text and fileId."]);
    }

    [Fact]
    public void Destructive_MarksThePayloadSchemaItself()
    {
        var schema = PayloadSchemaGenerator.Generate(typeof(Wipe));

        schema[SchemaKeywords.Destructive]!.GetValue<bool>().ShouldBeTrue();
        schema["properties"]!["target"]!["description"]!.GetValue<string>().ShouldBe("What to wipe.");
    }

    [Fact]
    public void ARuleTheSchemaCannotSay_IsRefused_NotDropped()
    {
        Should.Throw<NotSupportedException>(() => PayloadSchemaGenerator.Generate(typeof(WithEmail))).Message.ShouldContain("EmailAddress");
        Should.Throw<NotSupportedException>(() => PayloadSchemaGenerator.Generate(typeof(WithExclusiveRange))).Message.ShouldContain("Range");
        Should.Throw<NotSupportedException>(() => PayloadSchemaGenerator.Generate(typeof(int))).Message.ShouldContain("JSON object");
    }

    private static string Json(JsonNode? node) => node!.ToJsonString();
}
