using System.Reflection;
using Jobs.Contracts.Jobs;

namespace Jobs.Core.Engine.Catalog.Declarations;

/// <summary>
/// A job type's catalog entry, built from what is declared beside its handler: the <see cref="JobTypeAttribute"/>,
/// <see cref="JobStageAttribute"/>s and <see cref="JobMetricAttribute"/>s on the handler class, and the schema and
/// items field of its payload record (<see cref="PayloadSchemaGenerator"/>). A declaration that does not add up
/// (no description, no attempts, a list of batch items on a type that is not bulk) is refused at start-up.
/// </summary>
public static class JobTypeDeclaration
{
    /// <summary>The catalog entry of the job type <paramref name="declaringType"/> declares for <paramref name="payloadType"/>.</summary>
    public static JobTypeDefinition Definition(Type declaringType, Type payloadType)
    {
        var type = declaringType.GetCustomAttribute<JobTypeAttribute>()
            ?? throw new InvalidOperationException($"{declaringType.Name} declares no job type: give it a [JobType].");
        void Require(bool condition, string what)
        {
            if (!condition)
            {
                throw new InvalidOperationException($"{declaringType.Name}'s [JobType(\"{type.Name}\")] {what}.");
            }
        }

        Require(type.Description.Length > 0, "needs a Description");
        Require(type.MaxAttempts >= 1, "needs MaxAttempts of at least 1");
        Require(type.TimeoutSeconds >= 1, "needs TimeoutSeconds of at least 1");
        var stages = declaringType.GetCustomAttributes<JobStageAttribute>().Select(s => s.ToDisplay()).ToList();
        var metrics = declaringType.GetCustomAttributes<JobMetricAttribute>().Select(m => m.ToDisplay()).ToList();
        Require(type.Title is not null || (stages.Count == 0 && metrics.Count == 0 && type.Items is null), "needs a Title for its stages, metrics and items");
        var itemsField = PayloadSchemaGenerator.ItemsFieldOf(payloadType);
        Require(itemsField is null || type.Bulk, $"is not Bulk, yet its payload has a list of batch items ({itemsField})");

        return new JobTypeDefinition(type.Name, type.Description, type.Queue, PayloadSchemaGenerator.Generate(payloadType), type.MaxAttempts, type.TimeoutSeconds)
        {
            Bulk = type.Bulk,
            ItemsField = itemsField,
            Display = type.Title is null ? null : new JobTypeDisplay(type.Title, stages) { Items = type.Items, Metrics = metrics },
        };
    }
}
