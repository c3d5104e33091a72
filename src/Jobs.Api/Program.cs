using Jobs.Api;
using Jobs.Core.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("jobsdb", configureDataSourceBuilder: NpgsqlClientSettings.DataSource);
builder.AddRedisClient("redis", configureOptions: ClientSettings.Redis);
builder.AddJobsCore();
builder.AddJobsMigrations();
builder.AddJobsApi();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapJobsApi();

app.RunUntilStopped();
