using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Oversight.Runtime.Telemetry;

/// <summary>The runtime's ActivitySource and Meter, both named <see cref="Name"/>.</summary>
public static class RuntimeTelemetry
{
    public const string Name = "Oversight.Runtime";

    internal static readonly ActivitySource Source = new(Name, "1.0.0");
    private static readonly Meter Meter = new(Name, "1.0.0");
    private static readonly Counter<long> Handled = Meter.CreateCounter<long>("runtime.messages.handled", "{message}", "Messages handled successfully.");
    private static readonly Counter<long> Failed = Meter.CreateCounter<long>("runtime.messages.failed", "{message}", "Handler attempts that threw.");
    private static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>("runtime.messages.dead_lettered", "{message}", "Messages moved to the dead-letter table.");
    private static readonly Histogram<double> HandlerDuration = Meter.CreateHistogram<double>("runtime.handler.duration", "s", "Time to handle a message, commit included.");
    private static readonly Counter<long> EventsProjected = Meter.CreateCounter<long>("runtime.projection.events", "{event}", "Events applied by async projections.");
    private static readonly Counter<long> EventsDeadLettered = Meter.CreateCounter<long>("runtime.projection.dead_lettered", "{event}", "Events a projection could not apply.");
    private static readonly ConcurrentDictionary<string, (long Events, double Seconds)> Lag = new();

    static RuntimeTelemetry()
    {
        Meter.CreateObservableGauge("runtime.projection.lag.events", () => Lag.Select(l => new Measurement<long>(l.Value.Events, Tag(l.Key))), "{event}",
            "Head sequence minus the projection's checkpoint, as last seen by its leader.");
        Meter.CreateObservableGauge("runtime.projection.lag.seconds", () => Lag.Select(l => new Measurement<double>(l.Value.Seconds, Tag(l.Key))), "s",
            "Age of the oldest event the projection has not applied yet.");
    }

    public static class Tags
    {
        public const string Handler = "messaging.handler";
        public const string MessageType = "messaging.message.type";
        public const string MessageId = "messaging.message.id";
        public const string Projection = "runtime.projection";
        public const string EventCount = "runtime.event.count";
        public const string Attempt = "messaging.attempt";
    }

    private static KeyValuePair<string, object?> Tag(string projection) => new(Tags.Projection, projection);

    /// <summary>Starts a span parented on a stored W3C traceparent, so work done later joins the trace that caused it.</summary>
    internal static Activity? StartActivity(string name, ActivityKind kind, string? traceParent, IEnumerable<ActivityLink>? links = null)
    {
        if (!Source.HasListeners()) return null;
        ActivityContext.TryParse(traceParent, null, out var parent);
        return Source.StartActivity(name, kind, parent, links: links);
    }

    internal static void RecordHandled(string handler, TimeSpan elapsed)
    {
        Handled.Add(1, new KeyValuePair<string, object?>(Tags.Handler, handler));
        HandlerDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(Tags.Handler, handler));
    }

    internal static void RecordFailed(string handler) => Failed.Add(1, new KeyValuePair<string, object?>(Tags.Handler, handler));
    internal static void RecordDeadLettered(string handler) => DeadLettered.Add(1, new KeyValuePair<string, object?>(Tags.Handler, handler));
    internal static void RecordProjected(string projection, int events) => EventsProjected.Add(events, Tag(projection));
    internal static void RecordProjectionDeadLetter(string projection) => EventsDeadLettered.Add(1, Tag(projection));
    internal static void RecordLag(string projection, long events, double seconds) => Lag[projection] = (events, seconds);
    internal static void ForgetLag(string projection) => Lag.TryRemove(projection, out _);
}
