using Jobs.Web.Api;
using Jobs.Web.Auth;
using Jobs.Web.Components;
using Jobs.Web.Live;
using Jobs.Web.Security;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;

namespace Jobs.Web;

public static class WebExtensions
{
    /// <summary>Blazor (interactive server) with MudBlazor, cookie sign-in, the API clients and the live-event feed.</summary>
    public static IHostApplicationBuilder AddJobsWeb(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WebOptions>().BindConfiguration(WebOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.HasValidAllowedOrigins(), $"{WebOptions.Section}:AllowedOrigins: each entry must be an origin such as https://jobs.example.com (scheme, host and port only).")
            .Validate(o => string.IsNullOrEmpty(o.ForwardingSecret) || o.ForwardingSecret.Length >= 16, $"{WebOptions.Section}:ForwardingSecret must be empty or at least 16 characters.")
            .ValidateOnStart();

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices(config =>
        {
            config.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomLeft; // Placed by app.css: off the page's controls.
            config.SnackbarConfiguration.VisibleStateDuration = 8000;
            config.SnackbarConfiguration.PreventDuplicates = false;
            // Running jobs' toasts stay up while they run; JobToasts and JobNotifications cap the ended ones themselves.
            config.SnackbarConfiguration.MaxDisplayedSnackbars = 10;
        });

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.Cookie.Name = "jobs.session";
                cookie.Cookie.HttpOnly = true;
                // Lax, not Strict: a link to the app from mail or chat must arrive signed in. Lax already keeps the
                // cookie off cross-site POSTs and cross-site WebSocket handshakes; the antiforgery token on every form is
                // the second lock. Strict would not guard the interactive connection (/_blazor) either: SameSite is
                // about the site, not the origin, so a page on another port of this host or on a sibling subdomain
                // gets the cookie under Strict just as under Lax. CircuitOriginCheck guards that connection by Origin.
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.LoginPath = AccountEndpoints.SignInPath;
                cookie.LogoutPath = AccountEndpoints.SignOutPath;
                cookie.ReturnUrlParameter = AccountEndpoints.ReturnUrlParameter;
                // The cookie lives exactly as long as the API key inside it (set at sign-in); sliding it would
                // outlive the key and only trade a sign-in page for a 401.
                cookie.SlidingExpiration = false;
                cookie.Events.OnValidatePrincipal = SessionValidator.ValidateAsync;
            });
        services.TryAddSingleton(TimeProvider.System);
        services.AddMemoryCache();
        services.AddScoped<SessionValidator>();
        services.AddAuthorization();
        // Every form of the web carries the token (<AntiforgeryToken />, checked by UseAntiforgery). What a signed-in
        // user does on an interactive page (create or revoke a key, invite, change limits) travels over the
        // circuit's WebSocket, which only the UI's own pages may open (CircuitOriginCheck): no form post reaches those
        // actions.
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.HttpOnly = true;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, SessionStateProvider>();

        // Unsafe methods are not retried: a retried POST /api/jobs could submit twice, a retried cancel answers 409.
        services.ConfigureAll<HttpStandardResilienceOptions>(o => o.Retry.DisableForUnsafeHttpMethods());
        services.AddHttpClient<SessionsApiClient>(ConfigureApiClient);
        services.AddSessionJobsClient();
        services.AddHttpClient(DownloadEndpoints.ClientName, ConfigureApiClient);

        services.AddSingleton<JobTypeCache>();
        services.AddScoped<JobToasts>();
        services.AddSingleton<JobUpdateFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<JobUpdateFeed>());
        return builder;
    }

    public static WebApplication MapJobsWeb(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<CircuitOriginCheck>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets();
        // SecurityHeaders sends the whole Content-Security-Policy, frame-ancestors included; Blazor would add a second
        // header with only frame-ancestors 'self'.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
        app.MapAccountEndpoints();
        app.MapSignInLinks();
        app.MapDownloadEndpoints();
        return app;
    }

    private static void ConfigureApiClient(IServiceProvider services, HttpClient client) =>
        client.BaseAddress = services.GetRequiredService<IOptions<WebOptions>>().Value.ApiBaseAddress;
}
