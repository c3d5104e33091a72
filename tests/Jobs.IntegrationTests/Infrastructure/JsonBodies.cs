using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jobs.IntegrationTests.Infrastructure;

/// <summary>Request bodies for bad-input tests: a valid body with some members replaced.</summary>
public static class JsonBodies
{
    /// <summary><paramref name="body"/> as JSON with each member of <paramref name="change"/> (a JSON object) set on it.</summary>
    public static string With(object body, string change)
    {
        var result = JsonSerializer.SerializeToNode(body)!.AsObject();
        foreach (var member in JsonDocument.Parse(change).RootElement.EnumerateObject())
        {
            result[member.Name] = JsonNode.Parse(member.Value.GetRawText());
        }

        return result.ToJsonString();
    }
}
