// The app model of DESIGN §2 in Aspire's own API. It builds unchanged against Aspire.AppHost.Sdk
// (-p:UseAspire=true) and, by default, against the local subset in src/Jobs.Hosting.AppModel.
var builder = DistributedApplication.CreateBuilder(args);

// Fixed ports only while running: developers and the end-to-end tests reach the API and the UI at known
// addresses; a deployment's ingress chooses its own.
var isRunMode = builder.ExecutionContext.IsRunMode;

// Data lives under .jobs/ in local mode; a named volume under Aspire.
var postgres = builder.AddPostgres("postgres", port: isRunMode ? IntFromEnvironment("JOBS_POSTGRES_PORT") : null)
    .WithDataVolume();
var jobsdb = postgres.AddDatabase("jobsdb");
var redis = builder.AddRedis("redis");

// No launch profiles (launchProfileName: null): every endpoint is declared here, so both modes expose the same ones.
var api = builder.AddProject<Projects.Jobs_Api>("api", launchProfileName: null)
    .WithHttpEndpoint(port: isRunMode ? IntFromEnvironment("JOBS_API_PORT") ?? 5080 : null)
    .WithExternalHttpEndpoints()
    .WithReference(jobsdb).WaitFor(jobsdb)
    .WithReference(redis).WaitFor(redis)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.Jobs_Worker>("worker", launchProfileName: null)
    .WithHttpEndpoint()
    .WithReference(jobsdb).WithReference(redis)
    // The API applies the migrations and seeds the dev workspace; no worker claims a job before that.
    .WaitFor(api)
    .WithReplicas(IntFromEnvironment("JOBS_WORKER_REPLICAS") ?? 2)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.Jobs_Web>("web", launchProfileName: null)
    .WithHttpEndpoint(port: isRunMode ? IntFromEnvironment("JOBS_WEB_PORT") ?? 5000 : null)
    .WithExternalHttpEndpoints()
    .WithReference(api).WithReference(redis).WaitFor(api)
    .WithHttpHealthCheck("/health");

builder.Build().Run();

static int? IntFromEnvironment(string name) => int.TryParse(Environment.GetEnvironmentVariable(name), out var value) ? value : null;
