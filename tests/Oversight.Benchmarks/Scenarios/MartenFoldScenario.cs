using System.Data;
using System.Diagnostics;
using System.Text.Json;
using JasperFx.Events;
using Marten;
using Npgsql;
using Oversight.Persistence.Integrity;
using Oversight.Persistence.Reading;

namespace Oversight.Benchmarks.Scenarios;

/// <summary>
/// marten-fold-5000: fold one 5,000-event stream (live aggregation, as a command loads its aggregate), median ms, on Marten
/// in our configuration (<see cref="EventReader.FoldAsync{T}"/>). Baseline: a raw SELECT of the same rows' type and payload in
/// version order, deserialized with source-generated metadata and folded. The peer, Marten with its default configuration
/// folding the same stream, goes to stderr.
/// </summary>
public sealed class MartenFoldScenario : IScenario
{
    private const string Stream = "fold-5000";
    private const int Events = 5000;
    public string Name => "marten-fold-5000";

    public async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        await using var ours = await MartenBench.CreateAsync(context, "bench_fold", ours: true);
        await using var peer = await MartenBench.CreateAsync(context, "bench_fold_default", ours: false);
        await ours.BulkInsertEventsAsync([ChainedAppends.StartChained(ours, Stream, [.. Enumerable.Range(1, Events).Select(MartenBench.Pending)],
            MartenBench.Metadata, DateTimeOffset.UtcNow)]);
        await peer.BulkInsertEventsAsync([StreamAction.Start((IEventRegistry)peer.Options.Events, Stream,
            [.. Enumerable.Range(1, Events).Select(i => (object)BenchEvents.Payload(i))])]);
        await context.ExecuteAsync("VACUUM ANALYZE bench_fold.mt_events");
        await context.ExecuteAsync("VACUUM ANALYZE bench_fold_default.mt_events");

        var iterations = context.Size(80, 6);
        List<double> oursTimes = [], peerTimes = [], baselineTimes = [];
        for (var i = -3; i < iterations; i++)
        {
            // Rotate which side goes first so drift and GC affect all alike; the first rounds warm up.
            var rounds = new (List<double> Times, Func<Task<long>> Fold)[]
            {
                (baselineTimes, () => RawFoldAsync(context.DataSource)), (oursTimes, () => MartenFoldAsync(ours)), (peerTimes, () => MartenFoldAsync(peer)),
            };
            for (var r = 0; r < rounds.Length; r++)
            {
                var (times, fold) = rounds[(r + i + 3) % rounds.Length];
                var elapsed = await TimeAsync(fold);
                if (i >= 0) times.Add(elapsed);
            }
        }
        await context.ExecuteAsync("DROP SCHEMA IF EXISTS bench_fold CASCADE; DROP SCHEMA IF EXISTS bench_fold_default CASCADE");
        return new ScenarioResult(Name, Concurrency.Median(oursTimes), Concurrency.Median(baselineTimes), "ms",
            FormattableString.Invariant($"Marten with its default configuration: {Concurrency.Median(peerTimes):0.##} ms"));
    }

    private static async Task<double> TimeAsync(Func<Task<long>> fold)
    {
        var stopwatch = Stopwatch.StartNew();
        var total = await fold();
        if (total <= 0) throw new InvalidOperationException("The fold saw no events.");
        return stopwatch.Elapsed.TotalMilliseconds;
    }

    private static async Task<long> MartenFoldAsync(DocumentStore store)
    {
        await using var session = store.QuerySession();
        var (sum, _) = await EventReader.FoldAsync(session, Stream, 0L, static (sum, e) => sum + ((SomethingRecorded)e).PeopleAffected + 1);
        return sum;
    }

    private static async Task<long> RawFoldAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT type, data FROM bench_fold.mt_events WHERE stream_id = $1 ORDER BY version");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Stream });
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess);
        var sum = 0L;
        while (await reader.ReadAsync())
        {
            _ = reader.GetString(0);
            var e = JsonSerializer.Deserialize(reader.GetString(1), BenchJson.Default.SomethingRecorded)!;
            sum += e.PeopleAffected + 1;
        }
        return sum;
    }
}
