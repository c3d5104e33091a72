using System.ComponentModel.DataAnnotations;

namespace Jobs.Web;

/// <summary>The web's settings, section <c>Jobs:Web</c>. The defaults suit a developer machine and the tests.</summary>
public sealed class WebOptions
{
    public const string Section = "Jobs:Web";

    /// <summary>The API, by its resource name: service discovery turns it into <c>services__api__http__0</c>.</summary>
    [Required]
    public Uri ApiBaseAddress { get; set; } = new("http://api");

    /// <summary>Rows per page of the jobs list (the API allows up to 200).</summary>
    [Range(1, 200)]
    public int JobsPageSize { get; set; } = 25;

    /// <summary>
    /// Live events make the dashboard re-read <c>GET /api/stats</c>, at most this often: a busy workspace publishes
    /// many updates a second, and one stats query covers them all.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan DashboardMinRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The dashboard also re-reads on this timer, because throughput and worker heartbeats change without an event.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan DashboardRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The largest file the pickers send to <c>POST /api/uploads</c>, so that a too-large file is refused before it
    /// is read; the API's own limit (<c>Uploads:MaxBytes</c>, the same 10 MB by default) still has the last word.
    /// </summary>
    [Range(1, 1024L * 1024 * 1024)]
    public long MaxUploadBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// Pages re-read what they show this often even without events: a missed pub/sub message (Redis restarted, a
    /// worker's publish failed) must not leave a page stale for good (docs/design.md, "Live updates").
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A signed-in browser's session is checked against the API (<c>GET /api/me</c>) on a page load at most this
    /// often: a role an admin changed shows on the user's next page load after that, and a session revoked elsewhere
    /// signs the browser out. Zero checks every request.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan SessionRecheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Turns on one-time sign-in links (<see cref="Auth.SignInLinkEndpoints"/>) in Development: the secret a caller must
    /// show to mint one. The AppHost sets a random one on every run for its "Sign in as demo" dashboard command; a
    /// deployment leaves it unset.
    /// </summary>
    public string? SignInLinkSecret { get; set; }

    /// <summary>
    /// The secret shared with the API (<c>Api:TrustedForwarding:Secret</c>) with which the web sends each browser's
    /// address to the API's sign-in, so that failed sign-ins are counted per browser and not per web server: without it
    /// one abuser could hold back every sign-in through the UI. The AppHost generates it and gives it to both. Unset, no
    /// address is sent. At least 16 characters.
    /// </summary>
    public string? ForwardingSecret { get; set; }

    /// <summary>
    /// Origins besides the UI's own whose pages may open its interactive connection
    /// (<see cref="Security.CircuitOriginCheck"/>), each as <c>scheme://host[:port]</c>. The UI's own origin is the
    /// scheme and host a request arrives with. Behind a proxy that terminates TLS (the request arrives as http) or
    /// changes the host, list the public origin here, e.g. <c>Jobs__Web__AllowedOrigins__0=https://jobs.example.com</c>,
    /// or have the proxy keep the host and send X-Forwarded-Proto with <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c>.
    /// Empty by default: no origin but the UI's own.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Whether every entry of <see cref="AllowedOrigins"/> is an origin: http or https, a host, nothing after it.</summary>
    public bool HasValidAllowedOrigins() => AllowedOrigins.All(origin =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && uri.UserInfo.Length == 0
        && uri.AbsolutePath == "/"
        && uri.Query.Length == 0
        && uri.Fragment.Length == 0);

    /// <summary>An origin as browsers send it in <c>Origin</c>: no trailing slash, no default port.</summary>
    public static string NormalizeOrigin(string origin) => new Uri(origin).GetLeftPart(UriPartial.Authority);
}
