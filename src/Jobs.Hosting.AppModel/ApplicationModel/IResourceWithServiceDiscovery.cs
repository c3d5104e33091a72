namespace Aspire.Hosting.ApplicationModel;

/// <summary>A resource others reach through <c>services__{name}__{scheme}__0</c>.</summary>
public interface IResourceWithServiceDiscovery : IResourceWithEndpoints;
