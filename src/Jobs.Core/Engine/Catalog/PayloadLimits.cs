namespace Jobs.Core.Engine.Catalog;

/// <summary>
/// The bounds every payload keeps, whatever its schema: depth and string lengths capped
/// (docs/design.md, "Admission, limits and fairness").
/// </summary>
/// <param name="MaxDepth">Levels of nested objects and arrays; the payload object itself is level 1.</param>
/// <param name="MaxStringLength">Characters in a string (or a property name) whose schema sets no <c>maxLength</c>.</param>
public sealed record PayloadLimits(int MaxDepth, int MaxStringLength)
{
    public static PayloadLimits Default { get; } = new(32, 100_000);
}
