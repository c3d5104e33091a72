using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Jobs.Api.Audit;
using Jobs.Api.Auth;
using Jobs.Api.Campaigns;
using Jobs.Api.Contacts;
using Jobs.Api.Files;
using Jobs.Api.Jobs;
using Jobs.Api.Keys;
using Jobs.Api.Limits;
using Jobs.Api.Live;
using Jobs.Api.OpenApi;
using Jobs.Api.Problems;
using Jobs.Api.Pauses;
using Jobs.Api.Schedules;
using Jobs.Api.Templates;
using Jobs.Api.Security;
using Jobs.Api.Seeding;
using Jobs.Api.Sessions;
using Jobs.Api.Stats;
using Jobs.Api.Users;
using Jobs.Api.Webhooks;
using Jobs.Api.Workspaces;
using Jobs.Core.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Jobs.Api;

public static class ApiExtensions
{
    public static IHostApplicationBuilder AddJobsApi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<UploadOptions>().BindConfiguration(UploadOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LimitCeilingsOptions>().BindConfiguration(LimitCeilingsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ApiCorsOptions>().BindConfiguration(ApiCorsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SignInThrottleOptions>().BindConfiguration(SignInThrottleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TrustedForwardingOptions>().BindConfiguration(TrustedForwardingOptions.Section)
            .Validate(o => o.IsValid(), $"{TrustedForwardingOptions.Section}:Secret must be empty or at least {TrustedForwardingOptions.MinSecretLength} characters.")
            .ValidateOnStart();
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<ApiCorsOptions>>((cors, browser) => cors.AddPolicy(ApiCorsOptions.PolicyName, policy => policy
            .WithOrigins(browser.Value.AllowedOrigins)
            .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
            // What the API reads from a request, SignalR's client included.
            .WithHeaders("Content-Type", "X-Api-Key", "Idempotency-Key", "Last-Event-ID", "Authorization", "X-Requested-With", "X-SignalR-User-Agent")
            // What a client needs to read from an answer: where a new job is, when to come back, whether it was a replay,
            // a download's file name, and how much of the rate limit is left.
            .WithExposedHeaders("Location", "Retry-After", "Idempotent-Replayed", "Content-Disposition", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")
            .SetPreflightMaxAge(browser.Value.PreflightMaxAge)));
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ApiOptions>>((kestrel, api) => kestrel.Limits.MaxRequestBodySize = api.Value.MaxRequestBodyBytes);

        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
            // Problems the framework writes itself (unknown route, wrong method or media type) get a code too.
            context.ProblemDetails.Extensions.TryAdd(ApiProblems.CodeKey, context.ProblemDetails.Status switch
            {
                400 => "bad_request",
                401 => "unauthenticated",
                403 => "forbidden",
                404 => "not_found",
                405 => "method_not_allowed",
                413 => "payload_too_large",
                415 => "unsupported_media_type",
                429 => "rate_limited",
                _ => "internal_error",
            }));
        services.AddExceptionHandler<ProblemExceptionHandler>();
        // Unreadable bodies throw, so that ProblemExceptionHandler can say what was wrong (the default is a bare 400).
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // A JSON object naming a property twice is ambiguous (which one did the client mean?): refused, not last-wins.
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.AllowDuplicateProperties = false;
            // A number is a JSON number: "5" for a priority is refused, not read (the web defaults read it), so that the
            // OpenAPI document can say "integer" and mean it.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });

        services.AddMemoryCache();
        services.AddSingleton<ApiKeyCache>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyCache>());
        services.AddSingleton<ApiKeyUsageRecorder>();
        services.AddSingleton<ApiKeyConnections>();
        services.AddSingleton<StreamTokens>();
        services.AddSingleton<ApiKeyHubFilter>();
        services.AddSingleton<HubCallLimitFilter>();
        services.Configure<HubOptions>(o =>
        {
            o.AddFilter<ApiKeyHubFilter>();
            o.AddFilter<HubCallLimitFilter>();
        });
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName,
                o => o.IsTokenPath = path => path.StartsWithSegments(JobsHub.Path) || JobEventsApi.IsEventsPath(path));
        services.AddAuthorization(o => o.AddPolicy(CallerClaims.AdminPolicy, p => p.RequireRole(WorkspaceRoles.Admin)));
        // Per-key requests and per-user bulk jobs are limited in Redis (Limits/), shared by every instance; this
        // in-process limiter keeps only the anonymous sign-in's limit.
        services.AddRateLimiter(limiter =>
        {
            // Sign-in is anonymous: a generous limit of requests per client address (the browser's, when the web
            // forwards it with the shared secret) against floods; SignInThrottle counts failed passwords much more tightly.
            limiter.AddPolicy(SessionsApi.SignInRateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.RequestServices.GetRequiredService<ClientAddress>().Of(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 600, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ApiProblems.Problem(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many requests",
                    $"Slow down: try again in {seconds} s.").ExecuteAsync(context.HttpContext);
            };
        });

        services.AddSingleton<WorkspaceLimitsCache>();
        services.AddSingleton<RedisRateLimiter>();
        services.AddSingleton<KeyRequestLimiter>();
        services.AddSingleton<BulkSubmissionLimiter>();
        services.AddSingleton<UploadSlots>();
        services.AddSingleton<UploadSpool>();
        services.AddHostedService(sp => sp.GetRequiredService<UploadSpool>());
        services.AddSingleton<JobRequestValidator>();
        services.AddSingleton<JobDependencyValidator>();
        services.AddSingleton<ScheduleRequestValidator>();
        services.AddSingleton<WebhookRequestValidator>();
        services.AddSingleton<SubmitCoalescer>();
        services.AddSingleton<JobSubmitter>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<ClientAddress>();
        services.AddJobsOpenApi();

        // Live updates (docs/design.md, "Live updates"): one Redis subscription per instance feeds the hub's groups and
        // the SSE streams.
        services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase);
        services.AddSingleton<JobUpdateDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<JobUpdateDispatcher>());

        // After the migrations (registered before this), before anything seeds or serves.
        services.AddHostedService<LimitCeilingsService>();
        services.AddHostedService<FirstAdminService>();
        if (builder.Environment.IsDevelopment())
        {
            services.AddHostedService<DevelopmentSeedService>();
        }

        return builder;
    }

    public static WebApplication MapJobsApi(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Before authentication and the rate limits: a preflight carries no key and must not count.
        app.UseCors(ApiCorsOptions.PolicyName);
        app.UseMiddleware<JsonBodyGuardMiddleware>();
        app.UseMiddleware<QueryTextGuardMiddleware>();
        app.UseAuthentication();
        app.UseMiddleware<RequestRateLimitMiddleware>();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapOpenApi();
        JobsApi.MapJobsApi(app).MapJobEventsApi();
        app.MapStatsApi();
        app.MapSchedulesApi();
        app.MapPausesApi();
        app.MapTemplatesApi();
        app.MapCampaignsApi();
        app.MapContactsApi();
        app.MapFilesApi();
        app.MapHub<JobsHub>(JobsHub.Path);
        app.MapSessionsApi();
        app.MapKeysApi();
        app.MapUsersApi();
        app.MapPasswordsApi();
        app.MapAuditApi();
        app.MapWorkspaceApi();
        app.MapWebhooksApi();
        return app;
    }
}
