namespace Jobs.Hosting.AppModel;

/// <summary>A resource that did not become healthy, with the last lines it wrote.</summary>
internal sealed class ResourceStartException(string resource, string reason, IReadOnlyList<string> lastLines)
    : Exception($"{resource}: {reason}")
{
    public string Resource { get; } = resource;

    public string Reason { get; } = reason;

    public IReadOnlyList<string> LastLines { get; } = lastLines;
}
