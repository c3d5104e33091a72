namespace Jobs.Core.Engine.Catalog.Declarations;

/// <summary>
/// The rules of every item of a list of strings (<c>items</c> in its schema), where the item type cannot carry
/// attributes itself: a tag's length, that it is not blank, what it is.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class EachItemAttribute : Attribute
{
    public string? Description { get; set; }

    /// <summary><c>minLength</c> of each item; 0 sets none.</summary>
    public int MinLength { get; set; }

    /// <summary><c>maxLength</c> of each item; 0 sets none.</summary>
    public int MaxLength { get; set; }

    /// <summary>Each item has a character that is not white space, as <see cref="NotBlankAttribute"/> says.</summary>
    public bool NotBlank { get; set; }
}
