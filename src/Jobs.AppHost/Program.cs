using Jobs.AppHost.Development;

var builder = DistributedApplication.CreateBuilder(args);

var isRunMode = builder.ExecutionContext.IsRunMode;

// PostgreSQL and Redis under the same names either way. Running: this machine's binaries as executables, because
// there is no container engine here; data under .jobs/ (or JOBS_DATA_DIR), so it survives restarts. Publishing (the
// manifest, azd): Aspire's own containers.
IResourceBuilder<IResourceWithConnectionString> jobsdb, redis;
if (isRunMode)
{
    var data = builder.Configuration["JOBS_DATA_DIR"] is { Length: > 0 } dir ? dir : Path.Combine(builder.AppHostDirectory, "..", "..", ".jobs");
    jobsdb = builder.AddLocalPostgres("postgres", Path.Combine(data, "postgres"), Setting("JOBS_POSTGRES_PORT")).AddDatabase("jobsdb");
    redis = builder.AddLocalRedis("redis", Path.Combine(data, "redis"), Setting("JOBS_REDIS_PORT"));
}
else
{
    jobsdb = builder.AddPostgres("postgres").WithDataVolume().AddDatabase("jobsdb");
    redis = builder.AddRedis("redis");
}

// The web sends each browser's address to the API's sign-in with this secret, and the API believes the address only
// with it: failed sign-ins are counted per browser, not per web server (docs/security.md, Sign-in throttling). Generated
// in both modes: a fresh one per run, and in publish mode a secret parameter that azd generates and keeps.
var forwardingSecret = builder.AddParameter("forwarding-secret", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);

// The API and the UI on fixed addresses while running, so developers keep their bookmarks (tests randomise them);
// a deployment's ingress chooses its own.
// No launch profiles (launchProfileName: null): every endpoint is declared here, the same in both modes.
var api = builder.AddProject<Projects.Jobs_Api>("api", launchProfileName: null)
    .WithJobsServiceDefaults()
    .WithHttpEndpoint(port: isRunMode ? Setting("JOBS_API_PORT") ?? 5080 : null)
    .WithExternalHttpEndpoints()
    .WithReference(jobsdb).WaitFor(jobsdb)
    .WithReference(redis).WaitFor(redis)
    .WithEnvironment("Api__TrustedForwarding__Secret", forwardingSecret)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.Jobs_Worker>("worker", launchProfileName: null)
    .WithJobsServiceDefaults()
    .WithHttpEndpoint()
    .WithReference(jobsdb).WithReference(redis)
    // The API applies the migrations and seeds the dev workspace; no worker claims a job before that.
    .WaitFor(api)
    .WithReplicas(Setting("JOBS_WORKER_REPLICAS") ?? 2)
    .WithHttpHealthCheck("/health");

var web = builder.AddProject<Projects.Jobs_Web>("web", launchProfileName: null)
    .WithJobsServiceDefaults()
    .WithHttpEndpoint(port: isRunMode ? Setting("JOBS_WEB_PORT") ?? 5000 : null)
    .WithExternalHttpEndpoints()
    .WithReference(api).WaitFor(api)
    .WithReference(redis)
    .WithEnvironment("Jobs__Web__ForwardingSecret", forwardingSecret)
    .WithHttpHealthCheck("/health");

// A developer's conveniences: the demo account the API seeds, dashboard buttons that submit demo jobs and sign a
// browser in, and the addresses printed once everything is healthy.
if (isRunMode)
{
    var demo = DemoAccount.FromConfiguration(builder.Configuration);
    api.WithDemoAccount(demo).WithSubmitDemoJobsCommand(demo);
    web.WithSignInLinkCommand(demo);
    // A team's own job type and service beside the platform (samples/Invoicing); JOBS_SAMPLES=false leaves them out.
    if (builder.Configuration["JOBS_SAMPLES"] != "false")
    {
        builder.AddInvoicingSample(api, jobsdb, redis, demo);
    }

    builder.PrintWhenReady(web, api, demo);
}

builder.Build().Run();

int? Setting(string key) => int.TryParse(builder.Configuration[key], out var value) ? value : null;
