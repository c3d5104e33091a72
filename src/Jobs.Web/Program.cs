using Jobs.Web.Api;
using Jobs.Web.Components;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddJobsApiClient();
builder.Services.AddRazorComponents();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseStaticFiles();
app.UseAntiforgery();
app.MapRazorComponents<App>();

app.Run();
