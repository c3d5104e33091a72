using Jobs.Contracts.Jobs;

namespace Jobs.Core.Engine.Catalog.Declarations;

/// <summary>
/// On a payload record: its job destroys data for good. Its schema carries <see cref="SchemaKeywords.Destructive"/>, so
/// that a form asks before submitting it; the API takes it like any other.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class DestructiveAttribute : Attribute;
