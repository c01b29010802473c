using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Marten;
using Oversight.Persistence.Integrity;

namespace Oversight.Benchmarks.Scenarios;

/// <summary>
/// marten-projection-rebuild: Marten's async daemon rebuilds the per-stream statistics projection (one upsert per event,
/// queued in its transaction) over 500,000 chained events in 5,000 streams; events/s. Baseline in the same run: a raw
/// ordered SELECT of the same rows with deserialization (the floor of reading them at all). The peer, Marten with its default
/// configuration rebuilding the same figures as its own per-stream snapshot documents (<see cref="StreamStatsSnapshot"/>) over
/// the same events, goes to stderr.
/// </summary>
public sealed class MartenProjectionRebuildScenario : IScenario
{
    private const string Schema = "bench_marten_rebuild";
    private const string PeerSchema = "bench_marten_rebuild_default";
    public string Name => "marten-projection-rebuild";

    public async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var streams = context.Size(5000, 200);
        const int perStream = 100;
        await using var store = await MartenBench.CreateAsync(context, Schema);
        for (var chunk = 0; chunk < streams; chunk += 1000)
            await store.BulkInsertEventsAsync([.. Enumerable.Range(chunk, Math.Min(1000, streams - chunk)).Select(s => ChainedAppends.StartChained(store, $"rebuild-{s}",
                [.. Enumerable.Range(1, perStream).Select(v => MartenBench.Pending(s * perStream + v))], MartenBench.Metadata, DateTimeOffset.UtcNow))]);
        await context.ExecuteAsync($"VACUUM ANALYZE \"{Schema}\".mt_events");
        await using var peer = await MartenBench.CreateAsync(context, PeerSchema, ours: false, options =>
        {
            options.Projections.Add<StreamStatsSnapshot.Projection>(JasperFx.Events.Projections.ProjectionLifecycle.Async);
            options.Projections.AsyncMode = JasperFx.Events.Daemon.DaemonMode.ExternallyManaged;
        });
        for (var chunk = 0; chunk < streams; chunk += 1000)
            await peer.BulkInsertEventsAsync([.. Enumerable.Range(chunk, Math.Min(1000, streams - chunk)).Select(s => JasperFx.Events.StreamAction.Start(
                (JasperFx.Events.IEventRegistry)peer.Options.Events, $"rebuild-{s}", [.. Enumerable.Range(1, perStream).Select(v => (object)BenchEvents.Payload(s * perStream + v))]))]);
        await context.ExecuteAsync($"VACUUM ANALYZE \"{PeerSchema}\".mt_events");
        var total = (double)streams * perStream;
        await context.CheckpointAsync();

        var watch = Stopwatch.StartNew();
        var read = 0;
        await using (var command = context.DataSource.CreateCommand($"SELECT stream_id, data::text FROM \"{Schema}\".mt_events ORDER BY seq_id"))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
            {
                _ = reader.GetString(0);
                if (JsonSerializer.Deserialize(reader.GetString(1), BenchJson.Default.SomethingRecorded) is not null) read++;
            }
        var baseline = read / watch.Elapsed.TotalSeconds;

        await context.CheckpointAsync();
        using var daemon = await store.BuildProjectionDaemonAsync();
        watch.Restart();
        await daemon.RebuildProjectionAsync(StreamStats.ProjectionName, TimeSpan.FromMinutes(30), CancellationToken.None);
        var ours = total / watch.Elapsed.TotalSeconds;
        var applied = await context.ScalarAsync($"SELECT coalesce(sum(events), 0) FROM \"{Schema}\".bench_stream_stats");
        if (applied != (long)total) throw new InvalidOperationException($"The rebuild applied {applied} of {total} events.");

        await context.CheckpointAsync();
        using var peerDaemon = await peer.BuildProjectionDaemonAsync();
        watch.Restart();
        await peerDaemon.RebuildProjectionAsync<StreamStatsSnapshot>(TimeSpan.FromMinutes(30), CancellationToken.None);
        var peerRate = total / watch.Elapsed.TotalSeconds;
        await using (var session = peer.QuerySession())
        {
            var peerApplied = await session.Query<StreamStatsSnapshot>().SumAsync(x => x.Events);
            if (peerApplied != (long)total) throw new InvalidOperationException($"The default configuration's rebuild applied {peerApplied} of {total} events.");
        }
        await context.ExecuteAsync($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE; DROP SCHEMA IF EXISTS \"{PeerSchema}\" CASCADE");
        return new ScenarioResult(Name, ours, baseline, "events/s",
            FormattableString.Invariant($"Marten with its default configuration (snapshot documents): {peerRate:0} events/s"));
    }
}

/// <summary>
/// marten-projection-lag-1000: 1,000 single-event chained appends per second for 20 s while Marten's async daemon runs
/// the per-stream statistics projection; p99 ms from an append's commit until the daemon's committed progress covers it.
/// The first 2 s warm the writers and the daemon up (JIT, pools, prepared statements: lags of 100–270 ms there were the whole
/// p99) and are reported apart, as http-record-finding's warm-up is not counted.
/// Baseline in the same run: a raw Npgsql poller reading <c>seq_id &gt; last</c> every millisecond (not gap-safe, writes
/// nothing): the floor of noticing a commit at all.
/// </summary>
public sealed class MartenProjectionLagScenario : IScenario
{
    private const string Schema = "bench_marten_lag";
    private const int Writers = 8, EventsPerSecond = 1000, StreamsPerWriter = 64;
    public string Name => "marten-projection-lag-1000";

    public async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var duration = context.Duration(TimeSpan.FromSeconds(20));
        var warmUp = context.Duration(TimeSpan.FromSeconds(2));
        await using var store = await MartenBench.CreateAsync(context, Schema);
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();
        var clock = Stopwatch.StartNew();
        var committed = new ConcurrentDictionary<long, double>();
        var projected = new ConcurrentDictionary<long, double>();
        var polled = new ConcurrentDictionary<long, double>();
        var pending = new ConcurrentDictionary<long, byte>();
        using var stop = new CancellationTokenSource();
        var progress = Task.Run(() => WatchProgressAsync(context, clock, pending, projected, stop.Token));
        var poller = Task.Run(() => PollAsync(context, clock, polled, stop.Token));

        var total = (int)((warmUp + duration).TotalSeconds * EventsPerSecond);
        var started = clock.Elapsed;
        var measuredFrom = (started + warmUp).TotalMilliseconds;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var heads = new ChainHead[StreamsPerWriter];
            Array.Fill(heads, ChainHead.Empty);
            for (var i = w; i < total; i += Writers)
            {
                var due = started + TimeSpan.FromSeconds((double)i / EventsPerSecond);
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
                var slot = i / Writers % StreamsPerWriter;
                await using var session = store.LightweightSession();
                var action = session.AppendChained($"lag-{w}-{slot}", heads[slot], [MartenBench.Pending(i)], MartenBench.Metadata, DateTimeOffset.UtcNow);
                await session.SaveChangesAsync();
                var sequence = action.Events[^1].Sequence;
                committed[sequence] = clock.Elapsed.TotalMilliseconds;
                pending[sequence] = 0;
                heads[slot] = ChainedAppends.HeadOf(action.Events);
            }
        })));
        var achieved = total / (clock.Elapsed - started).TotalSeconds;
        var warm = new ConcurrentDictionary<long, double>(committed.Where(c => c.Value < measuredFrom));
        foreach (var early in warm.Keys) committed.TryRemove(early, out _);

        var deadline = clock.Elapsed + TimeSpan.FromSeconds(30);
        while ((projected.Count < total || polled.Count < total) && clock.Elapsed < deadline) await Task.Delay(20);
        await stop.CancelAsync();
        await Task.WhenAll(progress, poller);
        await daemon.StopAllAsync();
        if (projected.Count < total) throw new InvalidOperationException($"Only {projected.Count} of {total} events were projected.");
        var skipped = committed.Keys.Count(k => !polled.ContainsKey(k));
        await context.ExecuteAsync($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE");
        return new ScenarioResult(Name, Lag(committed, projected, 0.99), Lag(committed, polled, 0.99), "ms",
            FormattableString.Invariant($"{committed.Count} events at {achieved:F0}/s after {warm.Count} to warm up (their lag p99 {Lag(warm, projected, 0.99):F1} ms, not counted); ") +
            FormattableString.Invariant($"lag p50 {Lag(committed, projected, 0.5):F1} ms, p90 {Lag(committed, projected, 0.9):F1} ms; ") +
            FormattableString.Invariant($"the raw poller skipped {skipped} that committed out of order"));
    }

    private static double Lag(ConcurrentDictionary<long, double> committed, ConcurrentDictionary<long, double> seen, double percentile)
    {
        var lags = committed.Where(c => seen.ContainsKey(c.Key)).Select(c => Math.Max(0, seen[c.Key] - c.Value)).Order().ToList();
        return lags.Count == 0 ? 0 : lags[(int)Math.Ceiling(lags.Count * percentile) - 1];
    }

    /// <summary>Marks each committed event projected when the daemon's committed progress first covers it.</summary>
    private static async Task WatchProgressAsync(BenchContext context, Stopwatch clock, ConcurrentDictionary<long, byte> pending,
        ConcurrentDictionary<long, double> projected, CancellationToken stop)
    {
        await using var connection = await context.DataSource.OpenConnectionAsync(CancellationToken.None);
        while (!stop.IsCancellationRequested)
        {
            await using (var command = new Npgsql.NpgsqlCommand(
                $"SELECT coalesce(max(last_seq_id), 0) FROM \"{Schema}\".mt_event_progression WHERE name = '{StreamStats.ProjectionName}:All'", connection))
            {
                var progress = (long)(await command.ExecuteScalarAsync(CancellationToken.None))!;
                var now = clock.Elapsed.TotalMilliseconds;
                foreach (var seq in pending.Keys)
                    if (seq <= progress && pending.TryRemove(seq, out _)) projected.TryAdd(seq, now);
            }
            await Task.Delay(1, CancellationToken.None);
        }
    }

    private static async Task PollAsync(BenchContext context, Stopwatch clock, ConcurrentDictionary<long, double> seen, CancellationToken stop)
    {
        await using var connection = await context.DataSource.OpenConnectionAsync(CancellationToken.None);
        var last = 0L;
        while (!stop.IsCancellationRequested)
        {
            await using (var command = new Npgsql.NpgsqlCommand($"SELECT seq_id FROM \"{Schema}\".mt_events WHERE seq_id > $1 ORDER BY seq_id LIMIT 1000", connection))
            {
                command.Parameters.Add(new Npgsql.NpgsqlParameter<long> { TypedValue = last });
                await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
                var now = clock.Elapsed.TotalMilliseconds;
                while (await reader.ReadAsync(CancellationToken.None))
                {
                    var seq = reader.GetInt64(0);
                    seen.TryAdd(seq, now);
                    last = Math.Max(last, seq);
                }
            }
            await Task.Delay(1, CancellationToken.None);
        }
    }
}

/// <summary>
/// The per-stream figures of <see cref="StreamStats"/> as Marten's own idiom keeps them: a snapshot document per stream, folded by a
/// single-stream projection (the peer of marten-projection-rebuild).
/// </summary>
public sealed class StreamStatsSnapshot
{
    public string Id { get; set; } = "";
    public long Events { get; set; }
    public long People { get; set; }
    public decimal Amount { get; set; }

    public sealed class Projection : Marten.Events.Aggregation.SingleStreamProjection<StreamStatsSnapshot, string>
    {
        public static void Apply(SomethingRecorded e, StreamStatsSnapshot snapshot)
        {
            snapshot.Events++;
            snapshot.People += e.PeopleAffected;
            snapshot.Amount += e.Amount;
        }
    }
}
