using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Jobs.Hosting.AppModel;

internal sealed class DistributedApplicationBuilder : IDistributedApplicationBuilder
{
    private readonly List<IResource> _resources = [];
    private readonly AppHostArguments _arguments;

    public DistributedApplicationBuilder(string[] args)
    {
        _arguments = AppHostArguments.Parse(args);
        ExecutionContext = new DistributedApplicationExecutionContext(_arguments.IsPublishMode);
        AppHostDirectory = AppHostMetadata.AppHostDirectory();
    }

    public string AppHostDirectory { get; }

    public DistributedApplicationExecutionContext ExecutionContext { get; }

    public IResourceBuilder<T> AddResource<T>(T resource) where T : IResource
    {
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' already exists.");
        }

        _resources.Add(resource);
        return new ResourceBuilder<T>(this, resource);
    }

    public DistributedApplication Build() => new([.. _resources], _arguments, AppHostDirectory);
}
