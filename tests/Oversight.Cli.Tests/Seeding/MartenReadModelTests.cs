using JasperFx;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Oversight.Cli.Seeding;
using Oversight.Persistence;
using Oversight.Persistence.Events;
using Oversight.Persistence.Integrity;
using Oversight.Persistence.Projections;
using Oversight.ReadModels;
using Oversight.ReadModels.PublicSanctions;
using Oversight.ReadModels.Risk;
using Oversight.ReadModels.Statistics;
using Oversight.Runtime;

namespace Oversight.Cli.Tests.Seeding;

/// <summary>
/// The read models (statistics, public register, risk flags) are the same code whichever daemon runs them
/// (ADR 8): a generated national history loaded into our own store and projected by our runtime, and the same
/// history bulk-loaded into Marten (chained) and projected by Marten's async daemon, give identical tables, row
/// for row, positions and evidence included.
/// </summary>
public sealed class MartenReadModelTests(PostgresServer server)
{
    private static readonly ISqlProjection[] Projections = [new StatisticsProjection(), new PublicSanctionsProjection(), new RiskProjection(new RiskOptions())];

    [Fact]
    public async Task Martens_daemon_builds_the_same_read_models_as_our_runtime()
    {
        var dataset = DemoDatasetGenerator.Generate(SeedProfile.Fy2022(0.02), 20221);
        var ours = await ProjectWithOurRuntimeAsync(dataset, "rm_ours");
        var marten = await ProjectWithMartenAsync(dataset, "rm_marten");

        Assert.True(ours.Sum(t => t.Value.Count) > 1_000, "the history should fill the read models");
        foreach (var (table, rows) in ours)
        {
            Assert.True(marten.TryGetValue(table, out var other), $"{table} missing on Marten");
            Assert.Equal(rows.Count, other.Count);
            Assert.Equal(rows, other);
        }
    }

    private async Task<Dictionary<string, List<string>>> ProjectWithOurRuntimeAsync(SeedDataset dataset, string schema)
    {
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddOversightStorage(server.ConnectionString,
                new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["EventStore:Schema"] = schema }).Build(),
                runtime => (runtime.RunProjections, runtime.RunWorkers, runtime.ReadModelSchema) = (false, false, schema))
            .BuildServiceProvider();
        var runtime = services.GetRequiredService<EventRuntime>();
        // One writer: events get their global sequence in dataset order, as Marten's bulk insert gives them.
        await new SeedLoader(services.GetRequiredService<EventStore.EventStore>(), runtime) { Writers = 1, StreamsPerBatch = 1_000_000, EventsPerBatch = int.MaxValue }
            .RunAsync(() => dataset, cancellationToken: TestContext.Current.CancellationToken);
        await runtime.Daemon.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        foreach (var projection in Projections) await runtime.Daemon.RebuildAsync(projection.Name, cancellationToken: TestContext.Current.CancellationToken);
        return await ReadTablesAsync(schema);
    }

    private async Task<Dictionary<string, List<string>>> ProjectWithMartenAsync(SeedDataset dataset, string schema)
    {
        await using var store = DocumentStore.For(options =>
        {
            options.Configure(server.ConnectionString, TimeProvider.System, schema);
            options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
            foreach (var projection in Projections) MartenSqlProjection.Register(options, projection, schema);
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            foreach (var projection in Projections)
            {
                await using var command = new NpgsqlCommand(projection.CreateTablesSql(ProjectionTables.InSchema(schema)), connection);
                await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }
        }

        var metadata = new AppendMetadata { ActorId = SeedLoader.Metadata.ActorId, ActorRole = SeedLoader.Metadata.ActorRole };
        // Our bulk path writes a batch's streams in stream-id order; the same order here gives every event the same global sequence.
        var streams = dataset.Streams.OrderBy(s => s.StreamId, StringComparer.Ordinal).Select(s => ChainedAppends.StartChained(store, s.StreamId,
            [.. s.Events.Select(e => new PendingEvent(e.Data, e.OccurredOn, e.EventId))], metadata, DateTimeOffset.UtcNow)).ToList();
        await store.BulkInsertEventsAsync(streams, batchSize: 50_000, TestContext.Current.CancellationToken);

        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();
        await daemon.WaitForNonStaleData(TimeSpan.FromMinutes(3));
        await daemon.StopAllAsync();
        return await ReadTablesAsync(schema);
    }

    /// <summary>Every projection table's rows as text, sorted.</summary>
    private async Task<Dictionary<string, List<string>>> ReadTablesAsync(string schema)
    {
        var tables = new Dictionary<string, List<string>>();
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        foreach (var table in Projections.SelectMany(p => p.Tables))
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
