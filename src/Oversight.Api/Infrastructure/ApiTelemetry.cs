using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Oversight.Api.Infrastructure;

/// <summary>The API's own span per command (between the HTTP server span and the store's append) and its latency histogram.</summary>
internal static class ApiTelemetry
{
    public const string Name = "Oversight.Api";
    public static readonly ActivitySource Source = new(Name, "1.0.0");
    private static readonly Meter Meter = new(Name, "1.0.0");

    private static readonly Histogram<double> CommandDuration = Meter.CreateHistogram<double>("oversight.command.duration", "s",
        "Time to decide and commit a command, retries included.");

    public static Activity? StartCommand(string name) =>
        Source.HasListeners() ? Source.StartActivity($"command {name}", ActivityKind.Internal) : null;

    public static void RecordCommand(string name, string outcome, TimeSpan elapsed) =>
        CommandDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("oversight.command", name), new KeyValuePair<string, object?>("oversight.outcome", outcome));
}
