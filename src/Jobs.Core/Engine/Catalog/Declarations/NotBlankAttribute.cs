using System.ComponentModel.DataAnnotations;
using Jobs.Contracts.Jobs;

namespace Jobs.Core.Engine.Catalog.Declarations;

/// <summary>
/// A string with at least one character that is not white space: <c>pattern: \S</c>, whose failure reads "must not be
/// blank." (<see cref="SchemaKeywords.PatternMessage"/>) instead of the regular expression.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class NotBlankAttribute : RegularExpressionAttribute
{
    public const string NotBlankPattern = "\\S";

    public const string Message = "must not be blank.";

    public NotBlankAttribute()
        : base(NotBlankPattern)
    {
        ErrorMessage = Message;
    }
}
