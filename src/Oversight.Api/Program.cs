using JasperFx;
using Oversight.Api.AccessLog;
using Oversight.Api.Erasure;
using Oversight.Api.CorrectionOrders;
using Oversight.Api.Dashboard;
using Oversight.Api.Health;
using Oversight.Api.ImplementingOrganizations;
using Oversight.Api.Http;
using Oversight.Api.Infrastructure;
using Oversight.Api.Inspections;
using Oversight.Api.Moc;
using Oversight.Api.OpenApi;
using Oversight.Api.Organizations;
using Oversight.Api.PublicSanctions;
using Oversight.Api.Risk;
using Oversight.Api.Security;
using Oversight.Api.SendingOrganizations;
using Oversight.Api.Statistics;
using Oversight.Api.SupervisingOrganizations;

var builder = WebApplication.CreateBuilder(args);
builder.AddOversightTelemetry();
builder.AddOversightStore();
builder.AddOversightAuthentication();
builder.AddOversightHttp();
builder.AddOversightHardening();
builder.AddOversightOpenApi();
builder.Services.AddOversightHealthChecks();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseOversightHeaders();
app.UseOversightOpenApi();
app.UseDashboard(); // Before authentication: the shell and its static assets hold no data and need no token; every API call it makes does.
app.UseAuthentication();
app.UseAuthorization();
app.UseOversightLimits();
app.MapHealthEndpoints();
app.MapSupervisingOrganizations();
app.MapImplementingOrganizations();
app.MapInspections();
app.MapCorrectionOrders();
app.MapSendingOrganizations();
app.MapMoc();
app.MapOrganizations();
app.MapPublicSanctions();
app.MapStatistics();
app.MapRisk();
app.MapAccessLog();
app.MapErasures();
// Serves by default; Marten's and Wolverine's commands when asked (e.g. `codegen write`, `db-assert`, `describe`).
return await app.RunJasperFxCommands(args);

/// <summary>Entry point type, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
