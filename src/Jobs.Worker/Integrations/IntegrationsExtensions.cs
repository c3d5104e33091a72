using Jobs.Worker.Integrations.Chat;
using Jobs.Worker.Integrations.Email;
using Jobs.Worker.Integrations.Places;
using Jobs.Worker.Integrations.Simulation;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
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
        AddOptions<ChatOptions>(services, ChatOptions.Section);

        AddClient<PlacesOptions>(services, GooglePlacesSearch.HttpClientName);
        AddClient<EmailFinderOptions>(services, HunterEmailFinder.HttpClientName);
        AddClient<EmailVerifierOptions>(services, NeverBounceEmailVerifier.HttpClientName);
        AddChatClient(services);

        services.AddSingleton<SimulatedPlacesSearch>();
        services.AddSingleton<GooglePlacesSearch>();
        services.AddSingleton<IPlacesSearch>(sp => Choose<PlacesOptions, IPlacesSearch, SimulatedPlacesSearch, GooglePlacesSearch>(sp));
        services.AddSingleton<SimulatedEmailFinder>();
        services.AddSingleton<HunterEmailFinder>();
        services.AddSingleton<IEmailFinder>(sp => Choose<EmailFinderOptions, IEmailFinder, SimulatedEmailFinder, HunterEmailFinder>(sp));
        services.AddSingleton<SimulatedEmailVerifier>();
        services.AddSingleton<NeverBounceEmailVerifier>();
        services.AddSingleton<IEmailVerifier>(sp => Choose<EmailVerifierOptions, IEmailVerifier, SimulatedEmailVerifier, NeverBounceEmailVerifier>(sp));

        services.AddSingleton<SimulatedChatCompletions>();
        services.AddSingleton<OpenAiChatCompletions>();
        services.AddSingleton<IChatCompletions>(sp => Choose<ChatOptions, IChatCompletions, SimulatedChatCompletions, OpenAiChatCompletions>(sp));

        services.AddHostedService<IntegrationsStartupLog>();
        return builder;
    }

    private static void AddOptions<TOptions>(IServiceCollection services, string section) where TOptions : class =>
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();

    private static void AddClient<TOptions>(IServiceCollection services, string name) where TOptions : IntegrationProvider =>
        services.AddHttpClient(name, (sp, http) =>
            http.BaseAddress = IntegrationHttp.AsBaseAddress(sp.GetRequiredService<IOptions<TOptions>>().Value.BaseUrl));

    /// <summary>
    /// The chat client waits minutes for a model, far past the standard pipeline's 10 s per attempt and 30 s in all
    /// (HttpClient's own Timeout is infinite on these clients, so the pipeline's govern), so it gets a standard pipeline of its own: an attempt may take
    /// <see cref="ChatOptions.Timeout"/>, the call <see cref="ChatOptions.TotalTimeout"/>, and the circuit breaker
    /// samples over twice an attempt, as the pipeline's validation requires. Retries (429 honouring Retry-After, 5xx)
    /// are as standard.
    /// </summary>
    private static void AddChatClient(IServiceCollection services)
    {
        var client = services.AddHttpClient(OpenAiChatCompletions.HttpClientName, (sp, http) =>
            http.BaseAddress = IntegrationHttp.AsBaseAddress(sp.GetRequiredService<IOptions<ChatOptions>>().Value.BaseUrl));
#pragma warning disable EXTEXP0001 // Experimental, but the documented way to replace the defaults' pipeline for one client.
        client.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        client.AddStandardResilienceHandler();
        services.AddOptions<HttpStandardResilienceOptions>($"{OpenAiChatCompletions.HttpClientName}-standard")
            .Configure<IOptions<ChatOptions>>((resilience, chat) =>
            {
                resilience.AttemptTimeout.Timeout = chat.Value.Timeout;
                resilience.TotalRequestTimeout.Timeout = chat.Value.TotalTimeout;
                resilience.CircuitBreaker.SamplingDuration = chat.Value.Timeout * 2 + TimeSpan.FromSeconds(1);
            });
    }

    private static TService Choose<TOptions, TService, TSimulated, TReal>(IServiceProvider services)
        where TOptions : IntegrationProvider
        where TSimulated : notnull, TService
        where TReal : notnull, TService =>
        services.GetRequiredService<IOptions<TOptions>>().Value.IsSimulated
            ? services.GetRequiredService<TSimulated>()
            : services.GetRequiredService<TReal>();
}
