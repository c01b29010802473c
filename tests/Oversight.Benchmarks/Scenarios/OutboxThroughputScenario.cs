using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Oversight.Benchmarks.Scenarios;

/// <summary>A message for the outbox benchmark.</summary>
public sealed record Ping(int Number);

[System.Text.Json.Serialization.JsonSerializable(typeof(Ping))]
public sealed partial class PingJson : System.Text.Json.Serialization.JsonSerializerContext;

/// <summary>
/// outbox-throughput: 20,000 queued messages drained by 2 workers through a handler that does nothing,
/// messages/s (claim with SKIP LOCKED, savepoint, handled-message record, delete, commit per batch of 32).
/// Baseline: 2 raw Npgsql workers on a plain queue table claiming 32 rows with FOR UPDATE SKIP LOCKED and
/// deleting them per transaction (no idempotency record, no per-message isolation).
/// </summary>
public sealed class OutboxThroughputScenario : IScenario
{
    private const int Workers = 2;
    public string Name => "outbox-throughput";

    public async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var messages = context.Size(20_000, 2_000);
        var handled = 0;
        await using var runtime = await BenchRuntime.CreateAsync(context, b =>
        {
            b.Options.Workers = Workers;
            b.Handlers.MessageTypes.Register("Ping", PingJson.Default.Ping);
            b.Handlers.Handle<Ping>("ping", (_, _, _) =>
            {
                Interlocked.Increment(ref handled);
                return Task.FromResult<IEnumerable<object>>([]);
            });
        });

        await context.ExecuteAsync("DROP TABLE IF EXISTS baseline_queue; CREATE TABLE baseline_queue (id uuid PRIMARY KEY, body jsonb NOT NULL, deliver_at timestamptz NOT NULL); CREATE INDEX ON baseline_queue (deliver_at)");
        await context.ExecuteAsync($"INSERT INTO baseline_queue SELECT gen_random_uuid(), jsonb_build_object('number', i), now() FROM generate_series(1, {messages}) i");
        for (var i = 0; i < messages; i += 1000)
            await runtime.Bus.SendAsync(Enumerable.Range(i, Math.Min(1000, messages - i)).Select(n => (object)new Ping(n)).ToList());
        await context.ExecuteAsync("VACUUM ANALYZE baseline_queue");
        await context.ExecuteAsync($"VACUUM ANALYZE \"{context.Store.Schema}\".outbox");
        await context.CheckpointAsync();

        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(() => RawWorkerAsync(context))));
        var baseline = messages / stopwatch.Elapsed.TotalSeconds;

        stopwatch.Restart();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (await runtime.Workers.RunOnceAsync() > 0) { }
        })));
        var ours = messages / stopwatch.Elapsed.TotalSeconds;
        if (handled != messages) throw new InvalidOperationException($"Handled {handled} of {messages} messages.");
        return new ScenarioResult(Name, ours, baseline, "messages/s");
    }

    private static async Task RawWorkerAsync(BenchContext context)
    {
        while (true)
        {
            await using var connection = await context.DataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var ids = new List<Guid>();
            await using (var claim = new NpgsqlCommand(
                "SELECT id, body::text FROM baseline_queue WHERE deliver_at <= now() ORDER BY deliver_at LIMIT 32 FOR UPDATE SKIP LOCKED", connection))
            await using (var reader = await claim.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    ids.Add(reader.GetGuid(0));
                    _ = reader.GetString(1);
                }
            }
            if (ids.Count == 0) return;
            await using (var delete = new NpgsqlCommand("DELETE FROM baseline_queue WHERE id = ANY($1)", connection))
            {
                delete.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. ids], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
                await delete.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
        }
    }
}
