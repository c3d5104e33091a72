using Jobs.Web.Api;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace Jobs.Web.Auth;

/// <summary>
/// The signed-in user as an interactive page (a Blazor circuit) sees them, re-checked with the API every
/// <see cref="WebOptions.SessionRecheckInterval"/> while the page stays open, as <see cref="SessionValidator"/> does on
/// page loads: a changed role or name takes effect on the open page (the menu shows or hides the admin pages), and a
/// session the API no longer accepts turns the page to the sign-in page.
/// </summary>
public sealed class SessionStateProvider : ServerAuthenticationStateProvider, IDisposable
{
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(1);

    private readonly SessionsApiClient sessions;
    private readonly ILogger<SessionStateProvider> logger;
    private readonly CancellationTokenSource stop = new();

    public SessionStateProvider(SessionsApiClient sessions, IOptions<WebOptions> options, ILogger<SessionStateProvider> logger)
    {
        this.sessions = sessions;
        this.logger = logger;
        var interval = options.Value.SessionRecheckInterval;
        _ = RecheckAsync(interval < MinimumInterval ? MinimumInterval : interval, stop.Token);
    }

    public void Dispose()
    {
        stop.Cancel();
        stop.Dispose();
    }

    private async Task RecheckAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await RecheckOnceAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page closed.
        }
    }

    private async Task RecheckOnceAsync(CancellationToken cancellationToken)
    {
        var user = (await GetAuthenticationStateAsync()).User;
        if (SessionClaims.ApiKeyOf(user) is null)
        {
            return; // Signed out already, or never signed in: nothing to check.
        }

        var (state, refreshed) = await SessionCheck.RunAsync(sessions, user, logger, cancellationToken);
        if (state == SessionState.Ended)
        {
            SetAuthenticationState(Task.FromResult(new AuthenticationState(SessionClaims.Ended())));
        }
        else if (state == SessionState.Changed)
        {
            SetAuthenticationState(Task.FromResult(new AuthenticationState(refreshed!)));
        }
    }
}
