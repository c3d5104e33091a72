namespace Aspire.Hosting.ApplicationModel;

/// <summary>A resource others reach through <c>ConnectionStrings__{name}</c>.</summary>
public interface IResourceWithConnectionString : IResource;
