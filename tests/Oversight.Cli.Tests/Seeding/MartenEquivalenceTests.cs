using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Oversight.Persistence.Integrity;
using Oversight.Persistence.Reading;
using Oversight.ReadModels.History;

namespace Oversight.Cli.Tests.Seeding;

/// <summary>
/// The move onto Marten changes nothing users see (ADR 8): for the same national history, Marten's daemon builds the same
/// read models as our runtime, row for row (positions and evidence included), and an organization's history read from
/// Marten's rows is the one our store gives — the same streams, events, order, metadata and payloads.
/// </summary>
public sealed class MartenEquivalenceTests(TwoStores stores) : IClassFixture<TwoStores>
{
    [Fact]
    public async Task Martens_daemon_builds_the_same_read_models_as_our_runtime()
    {
        var ours = await ReadTablesAsync(TwoStores.OursSchema);
        var marten = await ReadTablesAsync(TwoStores.MartenSchema);

        Assert.True(ours.Sum(t => t.Value.Count) > 1_000, "the history should fill the read models");
        foreach (var (table, rows) in ours)
        {
            Assert.True(marten.TryGetValue(table, out var other), $"{table} missing on Marten");
            Assert.Equal(rows.Count, other.Count);
            Assert.Equal(rows, other);
        }
    }

    [Fact]
    public async Task Organization_histories_read_from_Marten_equal_those_of_our_store()
    {
        var store = stores.Ours.GetRequiredService<EventStore.EventStore>();
        var organizations = stores.Dataset.Streams.Select(s => s.StreamId)
            .Where(s => s.StartsWith("so-", StringComparison.Ordinal) || s.StartsWith("io-", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).Where((_, i) => i % 53 == 0).Select(s => Guid.Parse(s[3..])).ToList();
        Assert.True(organizations.Count >= 20, $"{organizations.Count} organizations sampled");

        await using var session = stores.Marten.QuerySession();
        var events = 0;
        foreach (var id in organizations)
        {
            var ours = await OrganizationHistory.FindStreamsAsync(store, id, CancellationToken.None);
            var marten = await OrganizationHistory.FindStreamsAsync(session, stores.MartenReader, id, CancellationToken.None);
            Assert.NotNull(ours);
            Assert.NotNull(marten);
            Assert.Equal(ours.All.Order(StringComparer.Ordinal), marten.All.Order(StringComparer.Ordinal));
            Assert.Equal(ours.Version, marten.Version);

            foreach (var asOf in new DateOnly?[] { null, new(2023, 3, 31) })
            {
                var expected = await store.ReadStreamsRawAsync(ours.All, new EventStore.StreamsQuery { Limit = int.MaxValue, OccurredOnOrBefore = asOf });
                var actual = await stores.MartenReader.ReadStreamsAsync(marten.All, new HistoryQuery { Limit = int.MaxValue, OccurredOnOrBefore = asOf });
                Assert.Equal(expected.Select(e => (e.Sequence, e.StreamId, e.Version, e.EventId, e.EventType, e.SchemaVersion, e.OccurredOn, e.ActorId, e.ActorRole,
                        e.CorrelationId, e.CausationId, Canonical(e.Json))),
                    actual.Select(e => (e.Sequence, e.StreamId, e.Version, e.EventId, e.EventType, e.SchemaVersion, e.OccurredOn, e.ActorId, e.ActorRole,
                        e.CorrelationId, e.CausationId, Canonical(e.Json))));
                events += actual.Count;
            }
        }
        Assert.True(events > 1_000, $"{events} events compared");
    }

    private static string Canonical(string json) => System.Text.Encoding.UTF8.GetString(CanonicalJson.Canonicalize(System.Text.Encoding.UTF8.GetBytes(json)));

    /// <summary>Every projection table's rows as text, sorted.</summary>
    private async Task<Dictionary<string, List<string>>> ReadTablesAsync(string schema)
    {
        var tables = new Dictionary<string, List<string>>();
        await using var connection = new NpgsqlConnection(stores.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        foreach (var table in TwoStores.Projections.SelectMany(p => p.Tables))
        {
            await using var command = new NpgsqlCommand($"SELECT t::text FROM \"{schema}\".\"{table}\" t ORDER BY 1", connection);
            var rows = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken)) rows.Add(reader.GetString(0));
            tables[table] = rows;
        }
        return tables;
    }
}
