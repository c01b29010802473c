using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Oversight.EventStore.Telemetry;
using Oversight.EventStore.Tests.Support;

namespace Oversight.EventStore.Tests.Telemetry;

/// <summary>Meters are process-wide: this class runs alone so other classes' appends cannot satisfy its assertions.</summary>
[CollectionDefinition(nameof(StoreTelemetryTests), DisableParallelization = true)]
public sealed class StoreTelemetryCollection;

[Collection(nameof(StoreTelemetryTests))]
public sealed class StoreTelemetryTests(StoreFixture fixture) : IClassFixture<StoreFixture>
{
    [Fact]
    public async Task Append_read_and_verify_emit_spans_and_metrics_tagged_with_the_stream()
    {
        var stream = $"otel-{Guid.NewGuid():N}";
        var spans = new ConcurrentBag<Activity>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == StoreTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(activityListener);

        var measurements = new ConcurrentBag<(string Instrument, double Value)>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == StoreTelemetry.Name) listener.EnableMeasurementEvents(instrument);
            },
        };
        meterListener.SetMeasurementEventCallback<long>((instrument, value, _, _) => measurements.Add((instrument.Name, value)));
        meterListener.SetMeasurementEventCallback<double>((instrument, value, _, _) => measurements.Add((instrument.Name, value)));
        meterListener.Start();

        using (var parent = new ActivitySource("test").StartActivity("request"))
        {
            await fixture.Store.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Many(7));
            await fixture.Store.ReadStreamAsync(stream);
            await fixture.Store.VerifyStreamAsync(stream);
        }

        var ours = spans.Where(s => Equals(s.GetTagItem(StoreTelemetry.Tags.StreamId), stream)).ToList();
        Assert.Contains(ours, s => s.OperationName == "eventstore.append" && Equals(s.GetTagItem(StoreTelemetry.Tags.EventCount), 7));
        Assert.Contains(ours, s => s.OperationName == "eventstore.read_stream" && Equals(s.GetTagItem(StoreTelemetry.Tags.EventCount), 7));
        Assert.Contains(ours, s => s.OperationName == "eventstore.verify");
        Assert.Contains(measurements, m => m.Instrument == "eventstore.events.appended" && m.Value == 7);
        Assert.Contains(measurements, m => m.Instrument == "eventstore.append.duration" && m.Value > 0);
    }
}
