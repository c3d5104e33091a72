namespace Jobs.Worker.Integrations.Email;

/// <summary>
/// Section <c>Integrations:EmailFinder</c>: <c>Provider</c> <c>simulated</c> (default) or <c>hunter</c> (Hunter.io,
/// which needs <c>ApiKey</c>).
/// </summary>
public sealed class EmailFinderOptions() : IntegrationProvider(new Uri("https://api.hunter.io/"))
{
    public const string Section = "Integrations:EmailFinder";
    public const string Hunter = "hunter";

    protected override string SectionName => Section;

    protected override string RealProvider => Hunter;
}
