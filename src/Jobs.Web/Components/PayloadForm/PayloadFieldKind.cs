namespace Jobs.Web.Components.PayloadForm;

/// <summary>Which input a payload property gets on the new-job form.</summary>
public enum PayloadFieldKind
{
    Integer,
    Number,
    Text,
    /// <summary>A long string (a transcript, a prompt): a text area, line breaks kept.</summary>
    MultilineText,
    /// <summary>A required boolean or one with a default: a switch.</summary>
    Boolean,
    /// <summary>An enum, or an optional boolean without a default (yes, no, or either: left out).</summary>
    Choice,
    /// <summary>The id of a file uploaded first (<c>uploadId</c>): a file picker that uploads the chosen file.</summary>
    Upload,
    /// <summary>An array of strings (tags, ids): values added one by one or pasted, shown as chips.</summary>
    List,
    /// <summary>Arrays, objects and anything the form has no widget for: typed as JSON.</summary>
    Json,
}
