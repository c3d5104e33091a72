namespace Jobs.Worker.Integrations.Email;

/// <summary>
/// Section <c>Integrations:EmailVerifier</c>: <c>Provider</c> <c>simulated</c> (default) or <c>neverbounce</c>
/// (NeverBounce, which needs <c>ApiKey</c>).
/// </summary>
public sealed class EmailVerifierOptions() : IntegrationProvider(new Uri("https://api.neverbounce.com/"))
{
    public const string Section = "Integrations:EmailVerifier";
    public const string NeverBounce = "neverbounce";

    protected override string SectionName => Section;

    protected override string RealProvider => NeverBounce;
}
