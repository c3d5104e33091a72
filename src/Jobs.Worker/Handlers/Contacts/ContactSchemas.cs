using System.Text.Json.Nodes;
using Jobs.Core.Catalog;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary>The pieces of the contact job types' payload schemas that they share.</summary>
public static class ContactSchemas
{
    /// <summary>DESIGN §8: at most 1,000 items in one bulk job (a workspace may set fewer).</summary>
    public const int MaxContacts = 1000;

    public const string UuidPattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    public static JsonObject Uuid(string description) => new()
    {
        ["type"] = "string", ["pattern"] = UuidPattern, ["description"] = description,
    };

    /// <summary>
    /// The id of a file uploaded first. <c>x-accept</c> (an HTML accept list, ignored by validation) tells a form
    /// which files to offer; the web renders a property named <c>uploadId</c> as a file picker.
    /// </summary>
    public static JsonObject Upload(string description, string accept)
    {
        var schema = Uuid(description);
        schema[SchemaKeywords.Accept] = accept;
        return schema;
    }

    public static JsonObject ContactIds(string description) => new()
    {
        ["type"] = "array",
        ["minItems"] = 1,
        ["maxItems"] = MaxContacts,
        ["uniqueItems"] = true,
        ["items"] = Uuid("A contact's id."),
        ["description"] = description,
    };
}
