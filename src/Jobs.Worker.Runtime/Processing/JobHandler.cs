using System.Text.Json;
using Jobs.Core.Engine.Catalog;
using Jobs.Core.Engine.Catalog.Declarations;

namespace Jobs.Worker.Processing;

/// <summary>
/// A job type's handler with a typed payload and result. The class declares the type with
/// <see cref="JobTypeAttribute"/> (and its <see cref="JobStageAttribute"/>s and <see cref="JobMetricAttribute"/>s);
/// <typeparamref name="TPayload"/>, a record, carries the payload's rules as attributes, from which the catalog's schema
/// is generated (<see cref="PayloadSchemaGenerator"/>). Register it with
/// <see cref="JobHandlerServiceCollectionExtensions.AddJobHandler{THandler}"/>. What <see cref="IJobHandler"/> says of
/// execution holds: at-least-once, so idempotent or checkpointing.
/// </summary>
/// <typeparam name="TPayload">The payload, read with <see cref="JobJson.Options"/>; the API has validated it against its schema.</typeparam>
/// <typeparam name="TResult">The result, written with <see cref="JobJson.Options"/> and stored on the row.</typeparam>
public abstract class JobHandler<TPayload, TResult> : IJobHandler
{
    private JobTypeDefinition? definition;

    public JobTypeDefinition Definition => definition ??= JobTypes.DefinitionOf(GetType());

    public async Task<JsonElement> HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        var result = await HandleAsync(context, context.GetPayload<TPayload>(), cancellationToken);
        return JsonSerializer.SerializeToElement(result, JobJson.Options);
    }

    /// <returns>The job's result.</returns>
    protected abstract Task<TResult> HandleAsync(JobContext context, TPayload payload, CancellationToken cancellationToken);
}
