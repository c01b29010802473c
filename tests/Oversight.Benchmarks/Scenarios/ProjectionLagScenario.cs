using System.Collections.Concurrent;
using System.Diagnostics;
using Oversight.EventStore;

namespace Oversight.Benchmarks.Scenarios;

/// <summary>
/// projection-lag-1000: 1,000 single-event appends per second for 20 s while the daemon runs the per-stream
/// projection; p99 of (projection commit − append commit) in ms. Baseline, in the same run on the same
/// events: a raw Npgsql poller that reads <c>seq &gt; last</c> every millisecond (not gap-safe, no writes):
/// the latency floor of noticing a commit at all.
/// </summary>
public sealed class ProjectionLagScenario : IScenario
{
    private const int Writers = 4;
    private const int EventsPerSecond = 1000;
    public string Name => "projection-lag-1000";

    public async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var duration = context.Duration(TimeSpan.FromSeconds(20));
        await context.ResetStoreAsync();
        await using var runtime = await BenchRuntime.CreateAsync(context, b => b.Projections.Add(new StreamStatsProjection()));
        var clock = Stopwatch.StartNew();
        var committed = new ConcurrentDictionary<long, double>();
        var projected = new ConcurrentDictionary<long, double>();
        var polled = new ConcurrentDictionary<long, double>();
        runtime.Daemon.BatchApplied += batch =>
        {
            var now = clock.Elapsed.TotalMilliseconds;
            foreach (var e in batch.Events) projected[e.Sequence] = now;
        };
        await runtime.Daemon.StartAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var poller = Task.Run(() => PollAsync(context, clock, polled, stop.Token));

        var total = (int)(duration.TotalSeconds * EventsPerSecond);
        var started = clock.Elapsed;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = w; i < total; i += Writers)
            {
                var due = started + TimeSpan.FromSeconds((double)i / EventsPerSecond);
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
                var result = await runtime.Writer.AppendAsync($"lag-{i % 500}", ExpectedVersion.Any, [BenchEvents.Event(i)]);
                committed[result.LastSequence] = clock.Elapsed.TotalMilliseconds;
            }
        })));
        var achieved = total / (clock.Elapsed - started).TotalSeconds;

        var deadline = clock.Elapsed + TimeSpan.FromSeconds(30);
        while ((projected.Count < total || polled.Count < total) && clock.Elapsed < deadline) await Task.Delay(20);
        await stop.CancelAsync();
        await poller;
        if (projected.Count < total) throw new InvalidOperationException($"Only {projected.Count} of {total} events were projected.");
        if (achieved < EventsPerSecond * 0.95) Console.Error.WriteLine($"projection-lag-1000: writers reached only {achieved:F0} events/s");

        // The naive `seq > last` poller skips events whose transaction commits after a later sequence's: its p99 is over
        // what it saw, and the skipped ones are counted (the gap-safe reader the daemon uses must never skip one).
        var skipped = committed.Keys.Count(k => !polled.ContainsKey(k));
        return new ScenarioResult(Name, P99(committed, projected), P99(committed, polled), "ms",
            FormattableString.Invariant($"{total} events at {achieved:F0}/s; the raw poller skipped {skipped} that committed out of order"));
    }

    /// <summary>p99 of the delay between an append's commit and its sighting (0 when seen before the writer got its reply), over the events seen.</summary>
    private static double P99(ConcurrentDictionary<long, double> committed, ConcurrentDictionary<long, double> seen)
    {
        var lags = committed.Where(c => seen.ContainsKey(c.Key)).Select(c => Math.Max(0, seen[c.Key] - c.Value)).Order().ToList();
        return lags.Count == 0 ? 0 : lags[(int)Math.Ceiling(lags.Count * 0.99) - 1];
    }

    private static async Task PollAsync(BenchContext context, Stopwatch clock, ConcurrentDictionary<long, double> seen, CancellationToken stop)
    {
        await using var connection = await context.DataSource.OpenConnectionAsync(CancellationToken.None);
        var last = 0L;
        while (!stop.IsCancellationRequested)
        {
            await using (var command = new Npgsql.NpgsqlCommand($"SELECT seq FROM \"{context.Store.Schema}\".events WHERE seq > $1 ORDER BY seq LIMIT 1000", connection))
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
