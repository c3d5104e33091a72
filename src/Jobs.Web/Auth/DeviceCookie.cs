namespace Jobs.Web.Auth;

/// <summary>
/// The browser's device token (OWASP "device cookies"): the API answers a sign-in with one for the email, and a later
/// sign-in from this browser sends it back, so that an attacker who spends the email's budget of failed passwords
/// elsewhere does not lock its owner out here. It grants nothing by itself: it is no session and no key. HttpOnly,
/// Secure over https, SameSite=Lax, sent only to the sign-in page, and as long-lived as the API keeps it known
/// (renewed with every sign-in). One email's token per browser: signing in as another email replaces it.
/// </summary>
public static class DeviceCookie
{
    public const string Name = "jobs.device";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(180);

    public static string? Read(HttpContext httpContext) =>
        httpContext.Request.Cookies.TryGetValue(Name, out var token) && token is { Length: > 0 and <= 200 } ? token : null;

    public static void Write(HttpContext httpContext, string token) =>
        httpContext.Response.Cookies.Append(Name, token, new CookieOptions
        {
            HttpOnly = true,
            Secure = httpContext.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = AccountEndpoints.SignInPath,
            Expires = DateTimeOffset.UtcNow + Lifetime,
            IsEssential = true,
        });
}
