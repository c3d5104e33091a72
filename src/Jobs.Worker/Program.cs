using Jobs.Core.Hosting;
using Jobs.Worker.Handlers;
using Jobs.Worker.Processing;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("jobsdb", configureDataSourceBuilder: NpgsqlClientSettings.DataSource);
builder.AddRedisClient("redis", configureOptions: ClientSettings.Redis);
builder.AddJobsCore();
builder.AddJobsMigrations();
builder.AddJobsWorker();
builder.AddShippedJobTypes();

var app = builder.Build();

app.MapDefaultEndpoints();

app.RunUntilStopped();
