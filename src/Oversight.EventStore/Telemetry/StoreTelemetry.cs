using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Oversight.EventStore.Telemetry;

/// <summary>The store's ActivitySource and Meter, both named <see cref="Name"/>; add that name to tracing and metrics.</summary>
public static class StoreTelemetry
{
    public const string Name = "Oversight.EventStore";

    private static readonly ActivitySource Source = new(Name, "1.0.0");
    private static readonly Meter Meter = new(Name, "1.0.0");
    private static readonly Counter<long> EventsAppended = Meter.CreateCounter<long>("eventstore.events.appended", "{event}", "Events written to streams.");
    private static readonly Counter<long> Appends = Meter.CreateCounter<long>("eventstore.appends", "{append}", "Append calls, by outcome.");
    private static readonly Histogram<double> AppendDuration = Meter.CreateHistogram<double>("eventstore.append.duration", "s", "Time to append, including the round trip.");
    private static readonly Counter<long> VerificationFailures = Meter.CreateCounter<long>("eventstore.verification.failures", "{stream}", "Streams whose hash chain did not verify.");

    public static class Tags
    {
        public const string StreamId = "eventstore.stream.id";
        public const string EventCount = "eventstore.event.count";
        public const string Replayed = "eventstore.idempotent_replay";
        public const string Outcome = "eventstore.outcome";
        public const string DbSystem = "db.system.name";
    }

    internal static Activity? StartActivity(string name, string? streamId = null, int? eventCount = null)
    {
        if (!Source.HasListeners()) return null;
        var activity = Source.StartActivity(name, ActivityKind.Internal);
        if (activity is null) return null;
        activity.SetTag(Tags.DbSystem, "postgresql");
        if (streamId is not null) activity.SetTag(Tags.StreamId, streamId);
        if (eventCount is not null) activity.SetTag(Tags.EventCount, eventCount);
        return activity;
    }

    internal static void RecordAppend(int events, TimeSpan elapsed, bool replayed)
    {
        var outcome = new KeyValuePair<string, object?>(Tags.Outcome, replayed ? "replayed" : "written");
        if (events > 0) EventsAppended.Add(events);
        Appends.Add(1, outcome);
        AppendDuration.Record(elapsed.TotalSeconds, outcome);
    }

    internal static void RecordConflict() =>
        Appends.Add(1, new KeyValuePair<string, object?>(Tags.Outcome, "conflict"));

    internal static void RecordVerificationFailure() => VerificationFailures.Add(1);
}
