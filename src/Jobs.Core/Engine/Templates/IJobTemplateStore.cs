namespace Jobs.Core.Engine.Templates;

/// <summary>
/// Named job templates (docs/design.md, "Templates"). Every read and write is scoped to a workspace: another
/// workspace's template is one that does not exist.
/// </summary>
public interface IJobTemplateStore
{
    /// <summary>Stores a new template; null when its name is taken in the workspace.</summary>
    Task<JobTemplate?> TemplateCreateAsync(Guid workspaceId, Guid userId, JobTemplateDefinition definition, CancellationToken cancellationToken);

    Task<JobTemplate?> TemplateGetAsync(Guid workspaceId, Guid templateId, CancellationToken cancellationToken);

    /// <summary>Newest first; <paramref name="cursor"/> is the id to continue after (exclusive).</summary>
    Task<JobTemplatePage> TemplateListAsync(Guid workspaceId, int limit, Guid? cursor, CancellationToken cancellationToken);

    /// <summary>Deletes the template; false when it does not exist in the workspace.</summary>
    Task<bool> TemplateDeleteAsync(Guid workspaceId, Guid templateId, CancellationToken cancellationToken);
}

public sealed record JobTemplatePage(IReadOnlyList<JobTemplate> Items, Guid? NextCursor);
