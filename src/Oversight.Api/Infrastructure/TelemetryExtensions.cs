using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Oversight.EventStore.Telemetry;
using Oversight.Runtime.Telemetry;

namespace Oversight.Api.Infrastructure;

internal static class TelemetryExtensions
{
    /// <summary>Activity sources and meters this service listens to. ASP.NET Core and Npgsql emit both natively.</summary>
    public static readonly string[] Sources = ["Microsoft.AspNetCore", "Npgsql", StoreTelemetry.Name, RuntimeTelemetry.Name, ApiTelemetry.Name];
    public static readonly string[] Meters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Npgsql", StoreTelemetry.Name, RuntimeTelemetry.Name, ApiTelemetry.Name];

    /// <summary>
    /// OpenTelemetry through the core SDK (OpenTelemetry.Extensions.Hosting is not served by our registry):
    /// one SDK instance in DI, disposed with the host. OTLP export only when OTEL_EXPORTER_OTLP_ENDPOINT is set;
    /// the exporter reads the standard OTEL_* variables (service name, resource attributes, protocol).
    /// </summary>
    public static WebApplicationBuilder AddOversightTelemetry(this WebApplicationBuilder builder)
    {
        var exportEnabled = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddSingleton(_ => OpenTelemetrySdk.Create(otel =>
        {
            otel.ConfigureResource(resource => resource.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? "oversight-api"));
            otel.WithTracing(tracing => tracing.AddSource(Sources));
            otel.WithMetrics(metrics => metrics.AddMeter(Meters));
            if (exportEnabled) otel.UseOtlpExporter();
        }));
        // Log lines carry the trace and span they were written in (JSON console: Logging:Console:FormatterName).
        builder.Logging.Configure(logging => logging.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        // Resolve the SDK at start so listeners are attached before the first request.
        builder.Services.AddHostedService<TelemetryStarter>();
        return builder;
    }

    private sealed class TelemetryStarter(OpenTelemetrySdk sdk) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(sdk);
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>
    /// Names the HTTP server span by method and route template (what the OpenTelemetry ASP.NET Core
    /// instrumentation would do; it is not served here), and tags <c>http.route</c>.
    /// </summary>
    public static WebApplication UseServerSpanNames(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (System.Diagnostics.Activity.Current is { Kind: System.Diagnostics.ActivityKind.Server } span && context.GetEndpoint() is RouteEndpoint endpoint)
            {
                span.DisplayName = $"{context.Request.Method} {endpoint.RoutePattern.RawText}";
                span.SetTag("http.route", endpoint.RoutePattern.RawText);
            }
            return next(context);
        });
        return app;
    }
}
