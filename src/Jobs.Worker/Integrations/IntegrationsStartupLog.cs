using Jobs.Worker.Integrations.Chat;
using Jobs.Worker.Integrations.Email;
using Jobs.Worker.Integrations.Places;
using Microsoft.Extensions.Options;

namespace Jobs.Worker.Integrations;

/// <summary>
/// Says at start-up which external services are real and which simulated, so that nobody mistakes fake leads for real
/// ones (every result is labelled too).
/// </summary>
internal sealed class IntegrationsStartupLog(
    IOptions<PlacesOptions> places,
    IOptions<EmailFinderOptions> emailFinder,
    IOptions<EmailVerifierOptions> emailVerifier,
    IOptions<ChatOptions> chat,
    ILogger<IntegrationsStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Log("Places search", PlacesOptions.Section, places.Value);
        Log("Email finder", EmailFinderOptions.Section, emailFinder.Value);
        Log("Email verifier", EmailVerifierOptions.Section, emailVerifier.Value);
        Log("Chat completions", ChatOptions.Section, chat.Value);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Log(string service, string section, IntegrationProvider options)
    {
        if (options.IsSimulated)
        {
            logger.LogInformation(
                "{Service}: simulated (deterministic fake data, no network; results are labelled \"simulated\"). Set {Section}:Provider and its ApiKey for the real service",
                service, section);
        }
        else
        {
            logger.LogInformation("{Service}: {Provider} at {BaseUrl}", service, options.Provider, options.BaseUrl);
        }
    }
}
