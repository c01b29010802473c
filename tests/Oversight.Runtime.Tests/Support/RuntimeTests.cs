using Npgsql;
using Oversight.EventStore;
using Oversight.Runtime.TestHost;

[assembly: AssemblyFixture(typeof(PostgresServer))]

namespace Oversight.Runtime.Tests.Support;

/// <summary>Each test gets its own schemas (events and read models) on the run's database.</summary>
public abstract class RuntimeTests(PostgresServer server)
{
    protected PostgresServer Server { get; } = server;
    protected ManualClock Clock { get; } = new(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Correlation id of events appended straight through the store (no subscribers notified).</summary>
    protected const string RawAppend = "raw-append";

    protected static string NewSchema() => $"r_{Guid.NewGuid():N}"[..20];

    protected Task<TestNode> CreateNodeAsync(string schema, TestNodeSettings? settings = null, TimeProvider? clock = null) =>
        TestNode.CreateAsync(Server.ConnectionString, schema, settings ?? new TestNodeSettings(), clock ?? Clock);

    protected static CancellationToken Timeout(int seconds = 60) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    /// <summary>
    /// Waits until the projection has applied everything committed so far. (The store's safe head is not
    /// enough: it excludes commits newer than the oldest transaction still open anywhere on the server.)
    /// </summary>
    protected static async Task WaitCaughtUpAsync(TestNode node, string projection = "balances", int seconds = 60)
    {
        GlobalPosition last;
        await using (var command = node.DataSource.CreateCommand($"SELECT tx_id, seq FROM \"{node.Store.Schema}\".events ORDER BY tx_id DESC, seq DESC LIMIT 1"))
        await using (var reader = await command.ExecuteReaderAsync())
            last = await reader.ReadAsync() ? new GlobalPosition(reader.GetFieldValue<ulong>(0), reader.GetInt64(1)) : GlobalPosition.Start;
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var status = (await node.Daemon.GetStatusAsync()).Single(s => s.Name == projection);
            if (status.Checkpoint >= last) return;
            if (DateTime.UtcNow > deadline) Assert.Fail($"Projection {projection} stuck at {status.Checkpoint}, last event at {last}.");
            await Task.Delay(20);
        }
    }

    /// <summary>The balances read model, ordered, as comparable text.</summary>
    protected static async Task<string> ReadBalancesAsync(TestNode node, string table = "balances")
    {
        await using var command = node.DataSource.CreateCommand(
            $"SELECT coalesce(string_agg(stream_id || '=' || balance || '/' || events || '@' || last_version, ';' ORDER BY stream_id), '') FROM \"{node.Options.ReadModelSchema}\".\"{table}\"");
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The same figures computed straight from the events table.</summary>
    protected static async Task<string> ExpectedBalancesAsync(TestNode node, string? excludeAccount = null)
    {
        await using var command = node.DataSource.CreateCommand(
            $"""
            SELECT coalesce(string_agg(stream_id || '=' || balance || '/' || events || '@' || last_version, ';' ORDER BY stream_id), '') FROM (
              SELECT stream_id, sum(CASE event_type WHEN 'Deposited' THEN (data->>'amount')::numeric ELSE -(data->>'amount')::numeric END) AS balance,
                     count(*) AS events, max(version) AS last_version
                FROM "{node.Store.Schema}".events WHERE $1::text IS NULL OR data->>'account' <> $1 GROUP BY stream_id) t
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)excludeAccount ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A single value; <c>{schema}</c> and <c>{rm}</c> stand for the node's event and read-model schemas.</summary>
    protected static async Task<long> ScalarAsync(TestNode node, string sql) =>
        Convert.ToInt64(await ScalarObjectAsync(node, sql), System.Globalization.CultureInfo.InvariantCulture);

    protected static async Task<string> ScalarTextAsync(TestNode node, string sql) => (string)(await ScalarObjectAsync(node, sql))!;

    private static async Task<object?> ScalarObjectAsync(TestNode node, string sql)
    {
        await using var command = node.DataSource.CreateCommand(sql
            .Replace("{schema}", $"\"{node.Store.Schema}\"", StringComparison.Ordinal)
            .Replace("{rm}", $"\"{node.Options.ReadModelSchema}\"", StringComparison.Ordinal));
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Appends from several writers at once; some hold their transaction open a while so commits land out of sequence order.</summary>
    protected static async Task WriteConcurrentlyAsync(TestNode node, int writers, int eventsPerWriter, int streams, CancellationToken cancellationToken)
    {
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            for (var i = 0; i < eventsPerWriter; )
            {
                var count = Math.Min(random.Next(1, 4), eventsPerWriter - i);
                var stream = $"acct-{random.Next(streams)}";
                var events = Enumerable.Range(0, count).Select(k => random.Next(4) == 0
                    ? new EventData(new Withdrawn(stream, k + 1))
                    : TestModel.Deposit(stream, random.Next(1, 1000) / 100m)).ToArray();
                if (random.Next(5) == 0)
                {
                    await using var connection = await node.DataSource.OpenConnectionAsync(cancellationToken);
                    await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                    await node.Store.AppendAsync(connection, stream, ExpectedVersion.Any, events, new AppendOptions { CorrelationId = RawAppend }, cancellationToken);
                    await Task.Delay(random.Next(1, 15), cancellationToken); // commit after later sequences
                    await transaction.CommitAsync(cancellationToken);
                }
                else
                {
                    await node.Writer.AppendAsync(stream, ExpectedVersion.Any, events, cancellationToken: cancellationToken);
                }
                i += count;
            }
        }, cancellationToken)));
    }
}
