using System.Collections.Concurrent;
using Jobs.Core.Engine.Catalog;
using Jobs.Core.Engine.Catalog.Declarations;

namespace Jobs.Worker.Processing;

/// <summary>The catalog entries of handler classes, built once per class from their declarations.</summary>
public static class JobTypes
{
    private static readonly ConcurrentDictionary<Type, JobTypeDefinition> Definitions = new();

    /// <summary>
    /// The catalog entry <paramref name="handlerType"/> declares: its <see cref="JobTypeAttribute"/> and the payload
    /// record of its <see cref="JobHandler{TPayload, TResult}"/>. No instance is needed, so hosts that publish types
    /// without running them (test clusters) read the same entry a worker does.
    /// </summary>
    public static JobTypeDefinition DefinitionOf(Type handlerType) => Definitions.GetOrAdd(handlerType, Build);

    /// <inheritdoc cref="DefinitionOf(Type)"/>
    public static JobTypeDefinition DefinitionOf<THandler>()
        where THandler : IJobHandler => DefinitionOf(typeof(THandler));

    private static JobTypeDefinition Build(Type handlerType)
    {
        for (var type = handlerType; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(JobHandler<,>))
            {
                return JobTypeDeclaration.Definition(handlerType, type.GetGenericArguments()[0]);
            }
        }

        throw new InvalidOperationException($"{handlerType.Name} declares no payload: derive it from JobHandler<TPayload, TResult>.");
    }
}
