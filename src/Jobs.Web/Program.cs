using Jobs.Messaging;
using Jobs.Web;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
// The web reaches the API over HTTP and hears live events from Redis; it never touches the database
// (docs/design.md, "Topology").
builder.AddRedisClient("redis", configureOptions: ClientSettings.Redis);
builder.AddJobsLiveUpdates();
builder.AddJobsWeb();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapJobsWeb();

app.RunUntilStopped();
