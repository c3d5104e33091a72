using Billing;
using Jobs.Client;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
// The Jobs API through Aspire's service discovery ("api"), with the key from Jobs:Client:ApiKey.
builder.AddJobsClient("api");
builder.Services.AddSingleton<InvoiceFollower>();
builder.Services.AddHostedService(services => services.GetRequiredService<InvoiceFollower>());
builder.Services.AddProblemDetails();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapInvoices();

app.Run();
