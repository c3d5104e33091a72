namespace Jobs.Web.Components.PayloadForm;

/// <summary>Which input a payload property gets on the new-job form.</summary>
public enum PayloadFieldKind
{
    Integer,
    Number,
    Text,
    Boolean,
    Choice,
    /// <summary>The id of a file uploaded first (<c>uploadId</c>): a file picker that uploads the chosen file.</summary>
    Upload,
    /// <summary>Arrays, objects and anything the form has no widget for: typed as JSON.</summary>
    Json,
}
