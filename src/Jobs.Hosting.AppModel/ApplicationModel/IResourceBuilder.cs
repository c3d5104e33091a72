namespace Aspire.Hosting.ApplicationModel;

/// <summary>What the fluent <c>With…</c> calls chain on. Covariant, so a database builder passes as a reference.</summary>
public interface IResourceBuilder<out T> where T : IResource
{
    IDistributedApplicationBuilder ApplicationBuilder { get; }

    T Resource { get; }
}
