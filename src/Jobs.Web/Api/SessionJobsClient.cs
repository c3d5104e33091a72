using Jobs.Client;
using Jobs.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;

namespace Jobs.Web.Api;

/// <summary>
/// The Jobs API as the signed-in user: the pages' <see cref="JobsClient"/>, one per circuit scope, asking the circuit's
/// <see cref="AuthenticationStateProvider"/> for the session key on every request. A session that ended (no key, or
/// the API answers 401) sends the browser to sign-in and throws <see cref="SessionExpiredException"/>, which callers
/// need not handle. Resolved in the circuit's scope, so the user here is the circuit's user (a handler of the client
/// factory lives in the factory's own scope and could not see it).
/// </summary>
public static class SessionJobsClient
{
    /// <summary>The named client whose handlers (service discovery, resilience) the pages' calls go through.</summary>
    public const string HttpClientName = "api";

    /// <summary>
    /// Only the handlers of the named client are used (each circuit's client is made around them, with its base
    /// address from <see cref="WebOptions.ApiBaseAddress"/>), so the named client itself needs no configuring.
    /// </summary>
    public static IServiceCollection AddSessionJobsClient(this IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName);
        services.AddScoped(Create);
        return services;
    }

    private static JobsClient Create(IServiceProvider services)
    {
        var navigation = services.GetRequiredService<NavigationManager>();
        var authentication = services.GetRequiredService<AuthenticationStateProvider>();
        var expiry = new SessionExpiry(navigation, SynchronizationContext.Current)
        {
            InnerHandler = services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(HttpClientName),
        };
        // The factory owns the pooled handlers below ours: this client must not dispose them.
        var http = new HttpClient(expiry, disposeHandler: false)
        {
            BaseAddress = services.GetRequiredService<IOptions<WebOptions>>().Value.ApiBaseAddress,
        };
        return new JobsClient(http, async _ =>
            SessionClaims.ApiKeyOf((await authentication.GetAuthenticationStateAsync()).User) ?? throw expiry.Expired());
    }

    /// <summary>Turns the API's 401 (the key behind the cookie expired or was revoked) into a trip to sign-in.</summary>
    private sealed class SessionExpiry(NavigationManager navigation, SynchronizationContext? circuit) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (response.StatusCode != System.Net.HttpStatusCode.Unauthorized)
            {
                return response;
            }

            response.Dispose();
            throw Expired();
        }

        /// <summary>
        /// A full load of the sign-in page, which clears the stale cookie and comes back here after signing in; on the
        /// circuit's own context, as the handler may run off it.
        /// </summary>
        public SessionExpiredException Expired()
        {
            void Navigate()
            {
                var returnUrl = "/" + navigation.ToBaseRelativePath(navigation.Uri);
                navigation.NavigateTo(AccountEndpoints.SignInUrl(returnUrl, expired: true), forceLoad: true);
            }

            if (circuit is null || SynchronizationContext.Current == circuit)
            {
                Navigate();
            }
            else
            {
                circuit.Post(_ => Navigate(), null);
            }

            return new SessionExpiredException();
        }
    }
}
