using Jobs.Contracts.Jobs;
using Jobs.Core.Engine.Dependencies;
using Jobs.Core.Engine.Storage;

namespace Jobs.Api.Jobs;

/// <summary>
/// Checks the <c>dependsOn</c>, <c>onDependencyFailure</c> and <c>ref</c> fields of a submit or a batch's items and
/// puts them on the inserts (docs/design.md, "Dependencies"). An entry of <c>dependsOn</c> is a job id of the caller's
/// workspace (another workspace's id is as unknown, so that no answer tells one exists) or, in a batch,
/// <c>ref:&lt;name&gt;</c> naming an earlier item's <c>ref</c>. Only earlier items may be named, so a batch cannot
/// hold a cycle, and neither can anything across requests: a job can only wait for jobs that already exist.
/// </summary>
public sealed class JobDependencyValidator(IJobDependencyStore store)
{
    public const string RefPrefix = "ref:";
    public const int MaxRefLength = 100;

    /// <summary>
    /// Fills <paramref name="inserts"/> (aligned with <paramref name="requests"/>, null for an item that failed its own
    /// checks) with their dependencies, adding every failure to <paramref name="errors"/> under the item's field.
    /// </summary>
    public async Task ApplyAsync(
        Guid workspaceId, IReadOnlyList<SubmitJobRequest?> requests, JobInsertParams?[] inserts, bool batch,
        Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        string Prefix(int item) => batch ? $"jobs[{item}]." : "";
        void Fail(string field, string message) => errors[field] = [.. errors.GetValueOrDefault(field) ?? [], message];

        var refs = CollectRefs(requests, batch, Prefix, Fail);
        var named = new List<(int Item, int Entry, Guid Id)>();
        var resolved = new (List<Guid> Ids, List<int> Items)[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            if (requests[i] is not { } request)
            {
                continue;
            }

            resolved[i] = ([], []);
            if (request.OnDependencyFailure is { } policy && !JobDependencyPolicy.IsKnown(policy))
            {
                Fail(Prefix(i) + "onDependencyFailure", $"must be '{JobDependencyPolicy.Cancel}' or '{JobDependencyPolicy.Run}'.");
            }

            if (request.DependsOn is not { } entries)
            {
                continue;
            }

            if (entries.Count > JobDependencyPolicy.MaxDependencies)
            {
                Fail(Prefix(i) + "dependsOn", $"must name at most {JobDependencyPolicy.MaxDependencies} jobs, names {entries.Count}.");
                continue;
            }

            if (request.RunAt is not null)
            {
                Fail(Prefix(i) + "runAt", "cannot be combined with dependsOn: a job with dependencies runs when they have finished.");
            }

            for (var e = 0; e < entries.Count; e++)
            {
                var field = $"{Prefix(i)}dependsOn[{e}]";
                var entry = entries[e];
                if (entry is null)
                {
                    Fail(field, "must be a job id.");
                }
                else if (entry.StartsWith(RefPrefix, StringComparison.Ordinal))
                {
                    ResolveRef(entry[RefPrefix.Length..], i, field, batch, refs, requests, resolved[i].Items, Fail);
                }
                else if (!Guid.TryParse(entry, out var id))
                {
                    Fail(field, $"'{Truncate(entry)}' is neither a job id nor {RefPrefix}<name> of an earlier item of the batch.");
                }
                else if (resolved[i].Ids.Contains(id))
                {
                    Fail(field, $"names job {id} more than once.");
                }
                else
                {
                    resolved[i].Ids.Add(id);
                    named.Add((i, e, id));
                }
            }
        }

        if (named.Count > 0)
        {
            var existing = await store.JobDependencyExistingAsync(workspaceId, [.. named.Select(n => n.Id).Distinct()], cancellationToken);
            foreach (var (item, entry, id) in named.Where(n => !existing.Contains(n.Id)))
            {
                Fail($"{Prefix(item)}dependsOn[{entry}]", $"job {id} does not exist.");
            }
        }

        for (var i = 0; i < inserts.Length; i++)
        {
            if (inserts[i] is { } insert && requests[i] is { } request)
            {
                inserts[i] = insert with
                {
                    DependsOn = resolved[i].Ids.Count > 0 ? resolved[i].Ids : null,
                    DependsOnItems = resolved[i].Items.Count > 0 ? resolved[i].Items : null,
                    OnDependencyFailure = request.OnDependencyFailure ?? JobDependencyPolicy.Cancel,
                };
            }
        }
    }

    private static Dictionary<string, int> CollectRefs(
        IReadOnlyList<SubmitJobRequest?> requests, bool batch, Func<int, string> prefix, Action<string, string> fail)
    {
        var refs = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < requests.Count; i++)
        {
            if (requests[i]?.Ref is not { } name)
            {
                continue;
            }

            if (!batch)
            {
                fail("ref", "is only for the items of a batch (POST /api/jobs/batch).");
            }
            else if (name.Length is 0 or > MaxRefLength || name.Any(char.IsControl))
            {
                fail(prefix(i) + "ref", $"must be 1 to {MaxRefLength} printable characters.");
            }
            else if (!refs.TryAdd(name, i))
            {
                fail(prefix(i) + "ref", $"'{Truncate(name)}' is already the ref of jobs[{refs[name]}].");
            }
        }

        return refs;
    }

    private static void ResolveRef(
        string name, int item, string field, bool batch, Dictionary<string, int> refs, IReadOnlyList<SubmitJobRequest?> requests,
        List<int> items, Action<string, string> fail)
    {
        if (!batch)
        {
            fail(field, $"{RefPrefix}<name> names an item of the same batch; a single submit has none.");
        }
        else if (!refs.TryGetValue(name, out var target))
        {
            fail(field, $"no item of the batch has ref '{Truncate(name)}'.");
        }
        else if (target >= item)
        {
            fail(field, $"names jobs[{target}], which is not before jobs[{item}]: an item may wait only for earlier items, so a batch holds no cycle.");
        }
        else if (requests[target]?.IdempotencyKey is not null)
        {
            fail(field, $"names jobs[{target}], which has an idempotency key: a replayed item makes no job to wait for.");
        }
        else if (items.Contains(target))
        {
            fail(field, $"names jobs[{target}] more than once.");
        }
        else
        {
            items.Add(target);
        }
    }

    private static string Truncate(string value) => value.Length <= 60 ? value : value[..60] + "…";
}
