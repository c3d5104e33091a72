namespace Jobs.Core.Engine.Catalog.Declarations;

/// <summary>
/// The payload's list of records a bulk job works through (<see cref="JobTypeDefinition.ItemsField"/>): the API caps its
/// length at the workspace's <c>max_batch_items</c>. At most one per payload, at its top level, and only on a bulk type.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class BatchItemsAttribute : Attribute;
