using JasperFx.Events;
using Oversight.Persistence.Integrity;

namespace Oversight.Benchmarks.Scenarios;

/// <summary>
/// Appends on Marten, the store the project is moving to (issue 11), as append-existing-16 measures ours: single-event
/// appends with an exact expected version to 1,000 existing streams, 16 writers, each tracking its streams' heads as a
/// command handler that loaded them would. Baseline: the same raw single-row INSERT per transaction, in the same run.
/// marten-default-append-16: Marten with its default configuration (rich appends, no metadata columns), the peer.
/// marten-chained-append-16: Marten in our configuration (quick appends, metadata columns, clock-stamped) with the
/// per-stream hash chain stamped on every event.
/// </summary>
public sealed class MartenAppendScenario(bool chained) : IScenario
{
    public string Name => chained ? "marten-chained-append-16" : "marten-default-append-16";

    public async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var duration = context.Duration(TimeSpan.FromSeconds(10));
        await context.ResetBaselineTableAsync();
        var schema = chained ? "bench_marten" : "bench_marten_default";
        await using var store = await MartenBench.CreateAsync(context, schema, ours: chained);

        var streams = RawBaseline.ExistingStreams;
        var heads = new ChainHead[streams];
        var setup = Enumerable.Range(0, streams).Select(s => chained
            ? ChainedAppends.StartChained(store, $"existing-{s}", [MartenBench.Pending(s)], MartenBench.Metadata, DateTimeOffset.UtcNow)
            : StreamAction.Start((IEventRegistry)store.Options.Events, $"existing-{s}", [BenchEvents.Payload(s)])).ToList();
        await store.BulkInsertEventsAsync(setup);
        for (var s = 0; s < streams; s++) heads[s] = chained ? ChainedAppends.HeadOf(setup[s].Events) with { Version = 1 } : new ChainHead(1, []);

        await context.CheckpointAsync();
        var baseline = await Concurrency.RateAsync(RawBaseline.Writers, duration, w =>
        {
            var i = 0;
            var versions = new long[streams];
            return async () =>
            {
                i++;
                var (stream, version) = RawBaseline.Next(w, i, versions, "existing");
                await RawBaseline.InsertRowAsync(context.DataSource, stream, version, i);
            };
        });

        await context.CheckpointAsync();
        var ours = await Concurrency.RateAsync(RawBaseline.Writers, duration, w =>
        {
            var i = 0;
            return async () =>
            {
                i++;
                var owned = (streams - w + RawBaseline.Writers - 1) / RawBaseline.Writers;
                var index = w + (i % owned) * RawBaseline.Writers;
                var stream = $"existing-{index}";
                await using var session = store.LightweightSession();
                if (chained)
                {
                    var action = session.AppendChained(stream, heads[index], [MartenBench.Pending(i)], MartenBench.Metadata, DateTimeOffset.UtcNow);
                    await session.SaveChangesAsync();
                    heads[index] = ChainedAppends.HeadOf(action.Events) with { Version = heads[index].Version + 1 };
                }
                else
                {
                    session.Events.Append(stream, heads[index].Version + 1, BenchEvents.Payload(i));
                    await session.SaveChangesAsync();
                    heads[index] = new ChainHead(heads[index].Version + 1, []);
                }
            };
        });
        await context.ExecuteAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE");
        return new ScenarioResult(Name, ours, baseline, "events/s");
    }
}
