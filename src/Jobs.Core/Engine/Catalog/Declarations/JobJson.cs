using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Core.Engine.Catalog.Declarations;

/// <summary>How a job type's payload is read and its result written, and the options its schema is generated with.</summary>
public static class JobJson
{
    /// <summary>
    /// The web defaults (camelCase names, names read in any case) with enums as their camelCase names, never as
    /// numbers: payloads are read and results written with these.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = Create(JsonSerializerOptions.Web.NumberHandling);

    /// <summary>
    /// <see cref="Options"/> without reading numbers from strings: the web defaults would read <c>"5"</c> as 5, which
    /// the payload contract does not offer, so the schema says <c>integer</c> and the API refuses a string.
    /// </summary>
    internal static JsonSerializerOptions SchemaOptions { get; } = Create(JsonNumberHandling.Strict);

    private static JsonSerializerOptions Create(JsonNumberHandling numbers)
    {
        var options = new JsonSerializerOptions(JsonSerializerOptions.Web)
        {
            NumberHandling = numbers,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
