using Invoicing.Jobs;
using Jobs.Worker.Processing;

// A worker of the invoicing team's own: the same connections and runtime as Jobs' worker, with their job types.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddJobsWorkerHost();
builder.Services.AddInvoicingJobs();

var app = builder.Build();

app.MapDefaultEndpoints();

app.RunUntilStopped();
