using Jobs.Worker.Handlers;
using Jobs.Worker.Processing;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddJobsWorkerHost();
builder.AddShippedJobTypes();

var app = builder.Build();

app.MapDefaultEndpoints();

app.RunUntilStopped();
