namespace Jobs.Core.Engine.Catalog.Declarations;

/// <summary>A list whose items are all different: <c>uniqueItems: true</c>.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class UniqueItemsAttribute : Attribute;
