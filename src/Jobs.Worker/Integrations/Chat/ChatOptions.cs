using System.ComponentModel.DataAnnotations;

namespace Jobs.Worker.Integrations.Chat;

/// <summary>
/// Section <c>Integrations:Chat</c>: <c>Provider</c> <c>simulated</c> (default) or <c>openai</c> (any
/// OpenAI-compatible chat-completions API, which needs <c>ApiKey</c>; <c>BaseUrl</c> points at another vendor's),
/// the <c>Model</c>, and the <c>Timeout</c> of one call: models reading a long transcript or a big diagram can take
/// minutes, so it is generous, and the HTTP client's resilience timeouts are raised to match.
/// </summary>
public sealed class ChatOptions() : IntegrationProvider(new Uri("https://api.openai.com/"))
{
    public const string Section = "Integrations:Chat";
    public const string OpenAi = "openai";

    [Required(AllowEmptyStrings = false)]
    public string Model { get; set; } = "gpt-4o-mini";

    /// <summary>How long one attempt may take; the whole call (with a retry) may take twice this and a minute.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "02:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The resilience pipeline's bound on a call, retries included.</summary>
    public TimeSpan TotalTimeout => Timeout * 2 + TimeSpan.FromMinutes(1);

    protected override string SectionName => Section;

    protected override string RealProvider => OpenAi;
}
