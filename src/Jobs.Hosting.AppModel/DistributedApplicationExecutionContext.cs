namespace Aspire.Hosting;

/// <summary>Whether this run starts the app (run mode) or only describes it (<c>--publisher manifest</c>).</summary>
public class DistributedApplicationExecutionContext
{
    internal DistributedApplicationExecutionContext(bool isPublishMode) => IsPublishMode = isPublishMode;

    public bool IsPublishMode { get; }

    public bool IsRunMode => !IsPublishMode;
}
