using System.Data;
using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using Oversight.EventStore;

namespace Oversight.Benchmarks.Scenarios;

/// <summary>
/// read-stream-5000: fold one 5,000-event stream (live aggregation), median ms. Baseline: a raw SELECT of the
/// same rows' type and payload in version order, deserialized with the same source-generated metadata and folded.
/// </summary>
public sealed class ReadStreamScenario : IScenario
{
    private const string Stream = "read-5000";
    public string Name => "read-stream-5000";

    public async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        await context.ResetStoreAsync();
        await context.Store.BulkAppendAsync([new StreamAppend(Stream, ExpectedVersion.NoStream,
            Enumerable.Range(1, 5000).Select(BenchEvents.Event).ToArray())]);
        await context.ExecuteAsync($"VACUUM ANALYZE \"{context.Store.Schema}\".events");

        var iterations = context.Size(80, 6);
        var ours = new List<double>();
        var baseline = new List<double>();
        for (var i = -3; i < iterations; i++)
        {
            // Alternate which side goes first so drift and GC affect both alike; the first rounds warm up.
            double b, o;
            if (i % 2 == 0)
            {
                b = await TimeAsync(() => RawFoldAsync(context.DataSource));
                o = await TimeAsync(() => StoreFoldAsync(context.Store));
            }
            else
            {
                o = await TimeAsync(() => StoreFoldAsync(context.Store));
                b = await TimeAsync(() => RawFoldAsync(context.DataSource));
            }
            if (i < 0) continue;
            baseline.Add(b);
            ours.Add(o);
        }
        return new ScenarioResult(Name, Concurrency.Median(ours), Concurrency.Median(baseline), "ms");
    }

    private static async Task<double> TimeAsync(Func<Task<long>> fold)
    {
        var stopwatch = Stopwatch.StartNew();
        var total = await fold();
        if (total <= 0) throw new InvalidOperationException("The fold saw no events.");
        return stopwatch.Elapsed.TotalMilliseconds;
    }

    private static async Task<long> StoreFoldAsync(EventStore.EventStore store)
    {
        var (state, _) = await store.AggregateStreamAsync(Stream, 0L, static (sum, e) => sum + ((SomethingRecorded)e).PeopleAffected + 1);
        return state;
    }

    private static async Task<long> RawFoldAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT event_type, data FROM \"bench\".events WHERE stream_id = $1 ORDER BY version");
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
