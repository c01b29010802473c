using Oversight.Api.Health;
using Oversight.Api.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddOversightTelemetry();
builder.AddOversightStore();
builder.Services.AddProblemDetails();
builder.Services.AddOversightHealthChecks();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapHealthEndpoints();
app.Run();

/// <summary>Entry point type, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
