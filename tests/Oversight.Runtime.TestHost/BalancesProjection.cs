using Npgsql;
using Oversight.EventStore;
using Oversight.Runtime.Projections;

namespace Oversight.Runtime.TestHost;

/// <summary>
/// Per-stream balances, plus a log of every application (no unique key on purpose: an event applied twice
/// shows up as a duplicate row instead of an error). Deposits of <see cref="PoisonAccount"/> throw until
/// <see cref="Fixed"/> is set. <see cref="DelayPerEvent"/> slows batches so a test can kill a process inside one.
/// </summary>
public sealed class BalancesProjection(string name = "balances") : IProjection
{
    public const string PoisonAccount = "poison";
    public string Name { get; } = name;
    public IReadOnlyList<string> Tables { get; } = [$"{name}", $"{name}_applied"];
    public volatile bool Fixed;
    public TimeSpan DelayPerEvent { get; set; }

    public async Task CreateTablesAsync(ProjectionContext context, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"CREATE TABLE IF NOT EXISTS {context.Table(Name)} (stream_id text PRIMARY KEY, balance numeric NOT NULL, events integer NOT NULL, last_version bigint NOT NULL); " +
            $"CREATE TABLE IF NOT EXISTS {context.Table($"{Name}_applied")} (seq bigint NOT NULL, stream_id text NOT NULL, version bigint NOT NULL)",
            context.Connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        var streams = new List<string>();
        var deltas = new List<decimal>();
        var versions = new List<long>();
        var sequences = new List<long>();
        foreach (var e in events)
        {
            var delta = e.Data switch
            {
                Deposited { Account: PoisonAccount } when !Fixed => throw new InvalidOperationException($"Cannot apply a deposit to '{PoisonAccount}'."),
                Deposited d => d.Amount,
                Withdrawn w => -w.Amount,
                _ => 0m,
            };
            streams.Add(e.StreamId);
            deltas.Add(delta);
            versions.Add(e.Version);
            sequences.Add(e.Sequence);
            if (DelayPerEvent > TimeSpan.Zero) await Task.Delay(DelayPerEvent, cancellationToken);
        }
        var upsert = new NpgsqlBatchCommand(
            $"""
            INSERT INTO {context.Table(Name)} AS b (stream_id, balance, events, last_version)
            SELECT stream_id, sum(delta), count(*), max(version) FROM unnest($1::text[], $2::numeric[], $3::bigint[]) AS u(stream_id, delta, version)
             GROUP BY stream_id
            ON CONFLICT (stream_id) DO UPDATE SET balance = b.balance + excluded.balance, events = b.events + excluded.events,
                last_version = greatest(b.last_version, excluded.last_version)
            """)
        {
            Parameters =
            {
                new NpgsqlParameter<string[]> { TypedValue = [.. streams] },
                new NpgsqlParameter<decimal[]> { TypedValue = [.. deltas] },
                new NpgsqlParameter<long[]> { TypedValue = [.. versions] },
            },
        };
        var log = new NpgsqlBatchCommand(
            $"INSERT INTO {context.Table($"{Name}_applied")} (seq, stream_id, version) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[])")
        {
            Parameters =
            {
                new NpgsqlParameter<long[]> { TypedValue = [.. sequences] },
                new NpgsqlParameter<string[]> { TypedValue = [.. streams] },
                new NpgsqlParameter<long[]> { TypedValue = [.. versions] },
            },
        };
        await using var batch = new NpgsqlBatch(context.Connection) { BatchCommands = { upsert, log } };
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
