using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Oversight.EventStore;

namespace Oversight.Benchmarks.Scenarios;

/// <summary>
/// append-single-16: single-event appends to new streams, 16 concurrent writers.
/// append-existing-16: single-event appends with an exact expected version to 1,000 existing streams.
/// Baseline for both: one plain single-row INSERT per transaction of the equivalent row, 16 connections.
/// </summary>
public sealed class AppendScenario(string name, bool existingStreams) : IScenario
{
    internal const int Writers = 16;
    internal const int ExistingStreams = 1000;
    private static readonly AppendOptions Metadata = new() { ActorId = "bench-user", ActorRole = "inspector", CorrelationId = "bench" };

    public string Name => name;

    public async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var duration = context.Duration(TimeSpan.FromSeconds(10));
        await context.ResetStoreAsync();
        await context.ResetBaselineTableAsync();
        var run = Guid.NewGuid().ToString("N")[..6];

        // Existing streams: each writer owns every 16th stream and tracks its version, as a command handler would.
        var versions = new long[ExistingStreams];
        if (existingStreams)
        {
            await context.Store.BulkAppendAsync(Enumerable.Range(0, ExistingStreams)
                .Select(s => new StreamAppend($"existing-{s}", ExpectedVersion.NoStream, [BenchEvents.Event(s)])).ToArray());
            Array.Fill(versions, 1);
        }

        await context.CheckpointAsync();
        var baseline = await Concurrency.RateAsync(Writers, duration, w =>
        {
            var i = 0;
            var baseVersions = new long[ExistingStreams];
            return async () =>
            {
                i++;
                var (stream, version) = existingStreams ? Next(w, i, baseVersions, "existing") : ($"b-{run}-{w}-{i}", 1);
                await InsertBaselineRowAsync(context.DataSource, stream, version, i);
            };
        });

        await context.CheckpointAsync();
        var ours = await Concurrency.RateAsync(Writers, duration, w =>
        {
            var i = 0;
            return async () =>
            {
                i++;
                if (existingStreams)
                {
                    var (stream, version) = Next(w, i, versions, "existing");
                    await context.Store.AppendAsync(stream, ExpectedVersion.Exactly(version - 1), [BenchEvents.Event(i)], Metadata);
                }
                else
                {
                    await context.Store.AppendAsync($"o-{run}-{w}-{i}", ExpectedVersion.NoStream, [BenchEvents.Event(i)], Metadata);
                }
            };
        });
        return new ScenarioResult(Name, ours, baseline, "events/s");
    }

    /// <summary>The writer's next stream (round robin over the ones it owns) and the version the new event gets.</summary>
    internal static (string Stream, long Version) Next(int writer, int i, long[] versions, string prefix)
    {
        var owned = (ExistingStreams - writer + Writers - 1) / Writers;
        var stream = writer + (i % owned) * Writers;
        return ($"{prefix}-{stream}", ++versions[stream]);
    }

    internal static async Task InsertBaselineRowAsync(NpgsqlDataSource dataSource, string stream, long version, int i)
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
        p.Add(new NpgsqlParameter<string> { TypedValue = Metadata.ActorId! });
        p.Add(new NpgsqlParameter<string> { TypedValue = Metadata.ActorRole! });
        p.Add(new NpgsqlParameter<string> { TypedValue = Metadata.CorrelationId! });
        p.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<byte[]> { TypedValue = Guid.NewGuid().ToByteArray() });
        await command.ExecuteNonQueryAsync();
    }
}
