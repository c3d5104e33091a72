using Jobs.Contracts.Jobs;
using Jobs.Web.Api;

namespace Jobs.Web.Components.Display;

/// <summary>The catalog as pages read it: each type's words (<see cref="JobText"/>) by its name.</summary>
public sealed class JobTypeTexts
{
    private readonly Dictionary<string, JobTypeResponse> _byName;

    public JobTypeTexts(IReadOnlyList<JobTypeResponse> types)
    {
        _byName = types.ToDictionary(t => t.Name, StringComparer.Ordinal);
        Types = [.. types.OrderBy(t => t.Title, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>No catalog (the API could not be read): every job goes by its type's machine name.</summary>
    public static JobTypeTexts Empty { get; } = new([]);

    /// <summary>The types, by title.</summary>
    public IReadOnlyList<JobTypeResponse> Types { get; }

    public JobTypeDisplay? Display(string type) => _byName.GetValueOrDefault(type)?.Display;

    public string Title(string type) => JobText.Title(Display(type), type);

    public string Stage(JobResponse job) => JobText.Stage(Display(job.Type), job.Status, job.Stage);
}
