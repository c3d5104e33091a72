namespace Jobs.Worker.Integrations.Places;

/// <summary>
/// Section <c>Integrations:Places</c>: <c>Provider</c> <c>simulated</c> (default) or <c>google</c> (Places API (New),
/// which needs <c>ApiKey</c>).
/// </summary>
public sealed class PlacesOptions() : IntegrationProvider(new Uri("https://places.googleapis.com/"))
{
    public const string Section = "Integrations:Places";
    public const string Google = "google";

    protected override string SectionName => Section;

    protected override string RealProvider => Google;
}
