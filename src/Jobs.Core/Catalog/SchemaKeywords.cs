namespace Jobs.Core.Catalog;

/// <summary>
/// Vendor keywords a job type's payload schema may carry for the UI's generated form. <see cref="PayloadValidator"/>
/// ignores them, as JSON Schema does any keyword it does not know; API clients may ignore them too.
/// </summary>
public static class SchemaKeywords
{
    /// <summary>An upload field's accepted types, as an HTML <c>accept</c> list ("image/png,image/jpeg").</summary>
    public const string Accept = "x-accept";

    /// <summary>
    /// <c>true</c>: the form leaves the property out. For properties only a program fills in sensibly (an image's
    /// base64 bytes beside an upload picker for the same image); the API accepts them as ever.
    /// </summary>
    public const string FormHidden = "x-form-hidden";
}
