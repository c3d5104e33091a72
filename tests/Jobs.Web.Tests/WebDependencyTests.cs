using System.Reflection;
using Jobs.Web.Live;

namespace Jobs.Web.Tests;

/// <summary>
/// The web never touches the database (docs/design.md, "Topology"): it reads the API's records from Jobs.Contracts and
/// hears Redis through Jobs.Messaging, and nothing it loads references Jobs.Core or Npgsql.
/// </summary>
public sealed class WebDependencyTests
{
    [Fact]
    public void TheWeb_ReferencesNeitherJobsCoreNorNpgsql_DirectlyOrThroughOurOwnAssemblies()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<Assembly>([typeof(JobUpdateFeed).Assembly]);
        var forbidden = new List<string>();
        while (pending.TryDequeue(out var assembly))
        {
            foreach (var name in assembly.GetReferencedAssemblies())
            {
                if (name.Name is not { } simple || !seen.Add(simple))
                {
                    continue;
                }

                if (simple == "Jobs.Core" || simple.StartsWith("Npgsql", StringComparison.Ordinal))
                {
                    forbidden.Add($"{assembly.GetName().Name} → {simple}");
                }
                else if (simple.StartsWith("Jobs.", StringComparison.Ordinal))
                {
                    // Our own assemblies are followed: Jobs.Messaging must not bring Jobs.Core in by the back door.
                    pending.Enqueue(Assembly.Load(name));
                }
            }
        }

        forbidden.ShouldBeEmpty();
        seen.ShouldContain("Jobs.Contracts");
        seen.ShouldContain("Jobs.Messaging");
    }
}
