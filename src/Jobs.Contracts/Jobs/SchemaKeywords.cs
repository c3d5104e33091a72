namespace Jobs.Contracts.Jobs;

/// <summary>
/// Vendor keywords a job type's payload schema may carry for the UI's generated form, each written by an attribute
/// of the payload record (Jobs.Core's <c>PayloadSchemaGenerator</c>). The API's payload validation
/// ignores them, as JSON Schema does any keyword it does not know, except <see cref="PatternMessage"/>, which words its
/// message; API clients may ignore them too.
/// </summary>
public static class SchemaKeywords
{
    /// <summary>An upload field's accepted types, as an HTML <c>accept</c> list ("image/png,image/jpeg").</summary>
    public const string Accept = "x-accept";

    /// <summary>
    /// <c>true</c>: the form leaves the property out. For properties only a program fills in sensibly (an image's
    /// base64 bytes beside an upload picker for the same image) and test-support switches (the demo type's crash);
    /// the API accepts them as ever.
    /// </summary>
    public const string FormHidden = "x-form-hidden";

    /// <summary>
    /// On a string with a <c>pattern</c>: what a value that does not match is told, in words ("must not be blank."),
    /// instead of the regular expression.
    /// </summary>
    public const string PatternMessage = "x-pattern-message";

    /// <summary>
    /// On the payload schema itself, <c>true</c>: the job destroys data for good
    /// (Jobs.Core's <c>[Destructive]</c>). A form asks before submitting it and never offers it first.
    /// </summary>
    public const string Destructive = "x-destructive";
}
