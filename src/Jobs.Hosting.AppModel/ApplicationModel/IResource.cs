namespace Aspire.Hosting.ApplicationModel;

/// <summary>A named part of the app model.</summary>
public interface IResource
{
    string Name { get; }
}
