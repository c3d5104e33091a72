namespace Aspire.Hosting.ApplicationModel;

/// <summary>A resource that listens on endpoints.</summary>
public interface IResourceWithEndpoints : IResource;
