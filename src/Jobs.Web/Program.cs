using Jobs.Core.Hosting;
using Jobs.Web;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
// DESIGN §2: the web reaches the API over HTTP and hears live events from Redis; it never touches the database.
builder.AddRedisClient("redis", configureOptions: ClientSettings.Redis);
builder.AddJobsEvents();
builder.AddJobsWeb();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapJobsWeb();

app.RunUntilStopped();
