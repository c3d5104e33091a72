using Jobs.Worker.Integrations.Email;
using Jobs.Worker.Integrations.Places;
using Jobs.Worker.Integrations.Simulation;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Jobs.Worker.Integrations;

public static class IntegrationsExtensions
{
    /// <summary>
    /// The external services the handlers call, each chosen by its <c>Integrations:*:Provider</c> key: the simulated
    /// implementation unless a real one is configured. The real clients are named clients of
    /// <see cref="IHttpClientFactory"/>, so they get the standard resilience pipeline that AddServiceDefaults gives every
    /// HttpClient (timeouts, retries on transient errors honouring <c>Retry-After</c>, circuit breaker); they are
    /// created per call, so the singletons that use them never hold a stale handler.
    /// </summary>
    public static IHostApplicationBuilder AddJobsIntegrations(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        AddOptions<IntegrationPrices>(services, IntegrationPrices.Section);
        AddOptions<SimulationOptions>(services, SimulationOptions.Section);
        AddOptions<PlacesOptions>(services, PlacesOptions.Section);
        AddOptions<EmailFinderOptions>(services, EmailFinderOptions.Section);
        AddOptions<EmailVerifierOptions>(services, EmailVerifierOptions.Section);

        AddClient<PlacesOptions>(services, GooglePlacesSearch.HttpClientName);
        AddClient<EmailFinderOptions>(services, HunterEmailFinder.HttpClientName);
        AddClient<EmailVerifierOptions>(services, NeverBounceEmailVerifier.HttpClientName);

        services.AddSingleton<SimulatedPlacesSearch>();
        services.AddSingleton<GooglePlacesSearch>();
        services.AddSingleton<IPlacesSearch>(sp => Choose<PlacesOptions, IPlacesSearch, SimulatedPlacesSearch, GooglePlacesSearch>(sp));
        services.AddSingleton<SimulatedEmailFinder>();
        services.AddSingleton<HunterEmailFinder>();
        services.AddSingleton<IEmailFinder>(sp => Choose<EmailFinderOptions, IEmailFinder, SimulatedEmailFinder, HunterEmailFinder>(sp));
        services.AddSingleton<SimulatedEmailVerifier>();
        services.AddSingleton<NeverBounceEmailVerifier>();
        services.AddSingleton<IEmailVerifier>(sp => Choose<EmailVerifierOptions, IEmailVerifier, SimulatedEmailVerifier, NeverBounceEmailVerifier>(sp));

        services.AddHostedService<IntegrationsStartupLog>();
        return builder;
    }

    private static void AddOptions<TOptions>(IServiceCollection services, string section) where TOptions : class =>
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();

    private static void AddClient<TOptions>(IServiceCollection services, string name) where TOptions : IntegrationProvider =>
        services.AddHttpClient(name, (sp, http) =>
            http.BaseAddress = IntegrationHttp.AsBaseAddress(sp.GetRequiredService<IOptions<TOptions>>().Value.BaseUrl));

    private static TService Choose<TOptions, TService, TSimulated, TReal>(IServiceProvider services)
        where TOptions : IntegrationProvider
        where TSimulated : notnull, TService
        where TReal : notnull, TService =>
        services.GetRequiredService<IOptions<TOptions>>().Value.IsSimulated
            ? services.GetRequiredService<TSimulated>()
            : services.GetRequiredService<TReal>();
}
