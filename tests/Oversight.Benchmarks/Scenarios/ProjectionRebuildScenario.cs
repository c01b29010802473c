using System.Data;
using System.Diagnostics;
using System.Text.Json;
using Oversight.EventStore;

namespace Oversight.Benchmarks.Scenarios;

/// <summary>
/// projection-rebuild: rebuild a per-stream projection over 500,000 events (5,000 streams) into fresh tables
/// and swap them in, events/s. Baseline: a raw SELECT of the same rows streamed in global order, deserialized
/// with the same source-generated metadata (reading only: the floor any rebuild has to pay).
/// </summary>
public sealed class ProjectionRebuildScenario : IScenario
{
    public string Name => "projection-rebuild";

    public async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var streams = context.Size(5000, 200);
        const int perStream = 100;
        await context.ResetStoreAsync();
        for (var chunk = 0; chunk < streams; chunk += 1000)
        {
            await context.Store.BulkAppendAsync(Enumerable.Range(chunk, Math.Min(1000, streams - chunk))
                .Select(s => new StreamAppend($"rebuild-{s}", ExpectedVersion.NoStream,
                    Enumerable.Range(1, perStream).Select(v => BenchEvents.Event(s * perStream + v)).ToArray()))
                .ToArray());
        }
        await context.ExecuteAsync($"VACUUM ANALYZE \"{context.Store.Schema}\".events");
        await context.CheckpointAsync();
        var total = (double)streams * perStream;

        await using var runtime = await BenchRuntime.CreateAsync(context, b => b.Projections.Add(new StreamStatsProjection()));
        var stopwatch = Stopwatch.StartNew();
        var baselineEvents = await RawReadAsync(context);
        var baseline = baselineEvents / stopwatch.Elapsed.TotalSeconds;

        stopwatch.Restart();
        var rebuilt = await runtime.Daemon.RebuildAsync("stream_stats");
        var ours = rebuilt.EventsApplied / stopwatch.Elapsed.TotalSeconds;
        if (rebuilt.EventsApplied != (long)total || baselineEvents != (long)total)
            throw new InvalidOperationException($"Expected {total} events, rebuilt {rebuilt.EventsApplied}, read {baselineEvents}.");
        return new ScenarioResult(Name, ours, baseline, "events/s");
    }

    private static async Task<long> RawReadAsync(BenchContext context)
    {
        await using var command = context.DataSource.CreateCommand(
            $"SELECT seq, stream_id, version, event_type, data FROM \"{context.Store.Schema}\".events ORDER BY tx_id, seq");
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess);
        long count = 0, people = 0;
        while (await reader.ReadAsync())
        {
            _ = reader.GetInt64(0);
            _ = reader.GetString(1);
            _ = reader.GetInt64(2);
            _ = reader.GetString(3);
            people += JsonSerializer.Deserialize(reader.GetString(4), BenchJson.Default.SomethingRecorded)!.PeopleAffected;
            count++;
        }
        return people >= 0 ? count : 0;
    }
}
