using System.Text.Json.Nodes;
using Jobs.Core.Engine.Catalog;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary>The pieces of the contact job types' payload schemas that they share.</summary>
public static class ContactSchemas
{
    /// <summary>
    /// At most 1,000 items in one bulk job; a workspace may set fewer
    /// (docs/design.md, "Admission, limits and fairness").
    /// </summary>
    public const int MaxContacts = 1000;

    public const string UuidPattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    /// <summary>What a blank string is told by a schema whose <c>pattern</c> is <c>\S</c>.</summary>
    public const string NotBlankMessage = "must not be blank.";

    /// <summary>An id; <c>format: uuid</c> tells a form to take a list of them pasted as they come (spaces, lines).</summary>
    public static JsonObject Uuid(string description) => new()
    {
        ["type"] = "string", ["format"] = "uuid", ["pattern"] = UuidPattern,
        [SchemaKeywords.PatternMessage] = "must be an id: 32 hexadecimal digits in five groups, such as 0191d2c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d.",
        ["description"] = description,
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
