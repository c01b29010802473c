using System.Diagnostics;
using JasperFx.Events;
using Oversight.Persistence.Events;
using Oversight.Persistence.Integrity;

namespace Oversight.Benchmarks.Scenarios;

/// <summary>
/// bulk-import on Marten's COPY path (<c>BulkInsertEventsAsync</c>), the path the seed moves to: 500,000 events over
/// 5,000 streams in batches of 1,000 streams, alternating with the raw binary COPY of the same rows in the same run.
/// marten-default-bulk: Marten's default configuration, the peer. marten-chained-bulk: our configuration, every event
/// stamped into its stream's hash chain before the COPY.
/// </summary>
public sealed class MartenBulkImportScenario(bool chained) : IScenario
{
    private static readonly AppendMetadata Metadata = new() { ActorId = "importer", ActorRole = "admin" };

    public string Name => chained ? "marten-chained-bulk" : "marten-default-bulk";

    public async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var streams = context.Size(5000, 500);
        var perStream = RawBaseline.EventsPerStream;
        await context.ResetBaselineTableAsync();
        var schema = chained ? "bench_marten_bulk" : "bench_marten_default_bulk";
        await using var store = await MartenBench.CreateAsync(context, schema, ours: chained);
        await context.CheckpointAsync();

        var baselineTime = TimeSpan.Zero;
        var oursTime = TimeSpan.Zero;
        for (var chunk = 0; chunk < streams; chunk += RawBaseline.StreamsPerTransaction)
        {
            var count = Math.Min(RawBaseline.StreamsPerTransaction, streams - chunk);
            var stopwatch = Stopwatch.StartNew();
            await RawBaseline.CopyAsync(context, chunk, count);
            baselineTime += stopwatch.Elapsed;

            stopwatch.Restart();
            var batch = Enumerable.Range(chunk, count).Select(s =>
            {
                var events = Enumerable.Range(1, perStream).Select(v => BenchEvents.Event(s * perStream + v)).ToList();
                return chained
                    ? ChainedAppends.StartChained(store, $"import-{s}", events, Metadata, DateTimeOffset.UtcNow)
                    : StreamAction.Start((IEventRegistry)store.Options.Events, $"import-{s}", [.. events.Select(e => e.Data)]);
            }).ToList();
            await store.BulkInsertEventsAsync(batch, batchSize: count * perStream);
            oursTime += stopwatch.Elapsed;
        }
        await context.ExecuteAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE");
        var total = (double)streams * perStream;
        return new ScenarioResult(Name, total / oursTime.TotalSeconds, total / baselineTime.TotalSeconds, "events/s");
    }
}
