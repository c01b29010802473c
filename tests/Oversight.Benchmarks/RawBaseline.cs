using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Oversight.Benchmarks;

/// <summary>
/// The raw-Npgsql baselines the store scenarios are measured against: one plain single-row INSERT per transaction, and
/// binary COPY, of rows with the same payload and metadata into a table with an event table's columns and indexes.
/// </summary>
internal static class RawBaseline
{
    public const int Writers = 16;
    public const int ExistingStreams = 1000;
    public const int EventsPerStream = 100, StreamsPerTransaction = 1000;
    private const string ActorId = "bench-user", ActorRole = "inspector", CorrelationId = "bench";

    /// <summary>The writer's next stream (round robin over every 16th stream, which it owns) and the version the new event gets.</summary>
    public static (string Stream, long Version) Next(int writer, int i, long[] versions, string prefix)
    {
        var owned = (ExistingStreams - writer + Writers - 1) / Writers;
        var stream = writer + (i % owned) * Writers;
        return ($"{prefix}-{stream}", ++versions[stream]);
    }

    public static async Task InsertRowAsync(NpgsqlDataSource dataSource, string stream, long version, int i)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO baseline_events (stream_id, version, event_id, event_type, schema_version, data, recorded_at, occurred_on, " +
            "actor_id, actor_role, correlation_id, causation_id, idempotency_key, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)");
        var e = BenchEvents.Event(i);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string> { TypedValue = stream });
        p.Add(new NpgsqlParameter<long> { TypedValue = version });
        p.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7() });
        p.Add(new NpgsqlParameter<string> { TypedValue = BenchEvents.TypeName });
        p.Add(new NpgsqlParameter<int> { TypedValue = 1 });
        p.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize((SomethingRecorded)e.Data, BenchJson.Default.SomethingRecorded), NpgsqlDbType = NpgsqlDbType.Jsonb });
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = DateTimeOffset.UtcNow });
        p.Add(new NpgsqlParameter<DateOnly> { TypedValue = e.OccurredOn!.Value });
        p.Add(new NpgsqlParameter<string> { TypedValue = ActorId });
        p.Add(new NpgsqlParameter<string> { TypedValue = ActorRole });
        p.Add(new NpgsqlParameter<string> { TypedValue = CorrelationId });
        p.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<byte[]> { TypedValue = Guid.NewGuid().ToByteArray() });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Binary COPY of <paramref name="streams"/> streams of <see cref="EventsPerStream"/> events, in one transaction.</summary>
    public static async Task CopyAsync(BenchContext context, int firstStream, int streams)
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
                    await importer.WriteAsync(ActorId, NpgsqlDbType.Text);
                    await importer.WriteAsync(ActorRole, NpgsqlDbType.Text);
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
