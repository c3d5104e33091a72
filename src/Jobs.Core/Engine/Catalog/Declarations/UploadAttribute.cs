using Jobs.Contracts.Jobs;

namespace Jobs.Core.Engine.Catalog.Declarations;

/// <summary>
/// The id of a file uploaded first with <c>POST /api/uploads</c>, of the types an HTML <c>accept</c> list names
/// (<see cref="SchemaKeywords.Accept"/>: ".csv,text/csv"). The web renders a property named <c>uploadId</c> with it as a
/// file picker.
/// </summary>
/// <param name="accept">The file types a form offers.</param>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class UploadAttribute(string accept) : Attribute
{
    public string Accept { get; } = accept;
}
