namespace Aspire.Hosting.ApplicationModel;

/// <summary>A resource that takes references as environment variables.</summary>
public interface IResourceWithEnvironment : IResource;
