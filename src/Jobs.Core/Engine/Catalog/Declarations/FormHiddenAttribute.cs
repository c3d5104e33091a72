using Jobs.Contracts.Jobs;

namespace Jobs.Core.Engine.Catalog.Declarations;

/// <summary>
/// A property the form leaves out (<see cref="SchemaKeywords.FormHidden"/>): one only a program fills in sensibly, or a
/// test-support switch. The API accepts it as ever.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class FormHiddenAttribute : Attribute;
