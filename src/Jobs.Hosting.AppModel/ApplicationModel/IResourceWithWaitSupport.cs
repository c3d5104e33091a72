namespace Aspire.Hosting.ApplicationModel;

/// <summary>A resource whose start can wait for other resources to be healthy.</summary>
public interface IResourceWithWaitSupport : IResource;
