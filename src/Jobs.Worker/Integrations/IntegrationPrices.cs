using System.ComponentModel.DataAnnotations;

namespace Jobs.Worker.Integrations;

/// <summary>
/// What each external call costs in USD (section <c>Integrations:Prices</c>), for the simulated providers and the real
/// ones alike, so that a job's <c>total_cost</c> reads the same whichever runs. The defaults are list prices at the
/// time of writing; set your contract's.
/// </summary>
public sealed class IntegrationPrices
{
    public const string Section = "Integrations:Prices";

    /// <summary>One Google Places Text Search request (a page of up to 20 places): Text Search Pro, $32 per 1,000.</summary>
    [Range(typeof(decimal), "0", "100")]
    public decimal PlacesTextSearch { get; set; } = 0.032m;

    /// <summary>One Google Place Details request with contact and rating fields: $17 per 1,000.</summary>
    [Range(typeof(decimal), "0", "100")]
    public decimal PlacesDetails { get; set; } = 0.017m;

    /// <summary>One Hunter domain search that found an email (searches that find none are free).</summary>
    [Range(typeof(decimal), "0", "100")]
    public decimal EmailFinder { get; set; } = 0.01m;

    /// <summary>One NeverBounce single verification.</summary>
    [Range(typeof(decimal), "0", "100")]
    public decimal EmailVerifier { get; set; } = 0.008m;

    /// <summary>Chat completions: 1,000 prompt (input) tokens, images included. gpt-4o-mini: $0.15 per million.</summary>
    [Range(typeof(decimal), "0", "100")]
    public decimal ChatInputPer1kTokens { get; set; } = 0.00015m;

    /// <summary>Chat completions: 1,000 completion (output) tokens. gpt-4o-mini: $0.60 per million.</summary>
    [Range(typeof(decimal), "0", "100")]
    public decimal ChatOutputPer1kTokens { get; set; } = 0.0006m;

    /// <summary>What a chat completion's tokens cost, to a millionth of a dollar.</summary>
    public decimal ChatCost(Chat.ChatUsage usage) => Math.Round(
        (usage.PromptTokens * ChatInputPer1kTokens + usage.CompletionTokens * ChatOutputPer1kTokens) / 1000m, 6, MidpointRounding.AwayFromZero);
}
