namespace Jobs.Core.Engine.Catalog.Declarations;

/// <summary>
/// On a payload record: exactly one of these properties (by their C# names) is given, not null. The schema says it as
/// <c>oneOf</c>, one alternative per property that requires it, which <see cref="PayloadValidator"/> checks with a
/// message on each property concerned.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ExactlyOneOfAttribute(params string[] properties) : Attribute
{
    public IReadOnlyList<string> Properties { get; } = properties;
}
