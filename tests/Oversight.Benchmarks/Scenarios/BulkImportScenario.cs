using System.Diagnostics;
using System.Text.Json;
using NpgsqlTypes;
using Oversight.EventStore;

namespace Oversight.Benchmarks.Scenarios;

/// <summary>
/// bulk-import: 500,000 events over 5,000 streams, in transactions of 1,000 streams. Baseline: raw binary COPY
/// of the same rows (payload serialized the same way) into a table with the same columns and indexes.
/// Baseline and store transactions alternate, so drift on the machine affects both alike.
/// </summary>
public sealed class BulkImportScenario : IScenario
{
    internal const int EventsPerStream = 100, StreamsPerTransaction = 1000;
    private static readonly AppendOptions Metadata = new() { ActorId = "importer", ActorRole = "admin" };

    public string Name => "bulk-import";

    public async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var streams = context.Size(5000, 500);
        await context.ResetStoreAsync();
        await context.ResetBaselineTableAsync();
        await context.CheckpointAsync();

        var baselineTime = TimeSpan.Zero;
        var oursTime = TimeSpan.Zero;
        for (var chunk = 0; chunk < streams; chunk += StreamsPerTransaction)
        {
            var count = Math.Min(StreamsPerTransaction, streams - chunk);
            var stopwatch = Stopwatch.StartNew();
            await CopyBaselineAsync(context, chunk, count);
            baselineTime += stopwatch.Elapsed;

            stopwatch.Restart();
            var batch = Enumerable.Range(chunk, count)
                .Select(s => new StreamAppend($"import-{s}", ExpectedVersion.NoStream,
                    Enumerable.Range(1, EventsPerStream).Select(v => BenchEvents.Event(s * EventsPerStream + v)).ToArray()))
                .ToArray();
            await context.Store.BulkAppendAsync(batch, Metadata);
            oursTime += stopwatch.Elapsed;
        }
        var total = (double)streams * EventsPerStream;
        return new ScenarioResult(Name, total / oursTime.TotalSeconds, total / baselineTime.TotalSeconds, "events/s");
    }

    internal static async Task CopyBaselineAsync(BenchContext context, int firstStream, int streams)
    {
        await using var connection = await context.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY baseline_events (stream_id, version, event_id, event_type, schema_version, data, recorded_at, occurred_on, " +
            "actor_id, actor_role, correlation_id, causation_id, idempotency_key, hash) FROM STDIN (FORMAT BINARY)"))
        {
            var now = DateTimeOffset.UtcNow;
            for (var s = firstStream; s < firstStream + streams; s++)
            {
                for (var v = 1; v <= EventsPerStream; v++)
                {
                    var e = BenchEvents.Event(s * EventsPerStream + v);
                    await importer.StartRowAsync();
                    await importer.WriteAsync($"import-{s}", NpgsqlDbType.Text);
                    await importer.WriteAsync((long)v, NpgsqlDbType.Bigint);
                    await importer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                    await importer.WriteAsync(BenchEvents.TypeName, NpgsqlDbType.Text);
                    await importer.WriteAsync(1, NpgsqlDbType.Integer);
                    await importer.WriteAsync(JsonSerializer.SerializeToUtf8Bytes((SomethingRecorded)e.Data, BenchJson.Default.SomethingRecorded), NpgsqlDbType.Jsonb);
                    await importer.WriteAsync(now, NpgsqlDbType.TimestampTz);
                    await importer.WriteAsync(e.OccurredOn!.Value, NpgsqlDbType.Date);
                    await importer.WriteAsync(Metadata.ActorId!, NpgsqlDbType.Text);
                    await importer.WriteAsync(Metadata.ActorRole!, NpgsqlDbType.Text);
                    await importer.WriteNullAsync();
                    await importer.WriteNullAsync();
                    await importer.WriteNullAsync();
                    await importer.WriteAsync(Guid.NewGuid().ToByteArray(), NpgsqlDbType.Bytea);
                }
            }
            await importer.CompleteAsync();
        }
        await transaction.CommitAsync();
    }
}
