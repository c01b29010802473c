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
using Oversight.Persistence.Reading;
using Oversight.ReadModels;
using Oversight.ReadModels.PublicSanctions;
using Oversight.ReadModels.Risk;
using Oversight.ReadModels.Statistics;
using Oversight.Runtime;

namespace Oversight.Cli.Tests.Seeding;

/// <summary>
/// One generated national history (scale 0.02) in both stores, each with its read models built by its own daemon: our store
/// and runtime (schema <c>eq_ours</c>), and Marten with its async daemon (schema <c>eq_marten</c>). Both receive the streams
/// in stream-id order (what our bulk path does within a batch), so every event has the same global sequence in both.
/// </summary>
public sealed class TwoStores(PostgresServer server) : IAsyncLifetime
{
    public const string OursSchema = "eq_ours", MartenSchema = "eq_marten";

    public static readonly ISqlProjection[] Projections = [new StatisticsProjection(), new PublicSanctionsProjection(), new RiskProjection(new RiskOptions())];

    public SeedDataset Dataset { get; } = DemoDatasetGenerator.Generate(SeedProfile.Fy2022(0.02), 20221);
    public ServiceProvider Ours { get; private set; } = null!;
    public DocumentStore Marten { get; private set; } = null!;
    public EventReader MartenReader { get; private set; } = null!;
    public string ConnectionString => server.ConnectionString;

    public async ValueTask InitializeAsync()
    {
        Ours = new ServiceCollection()
            .AddLogging()
            .AddOversightStorage(server.ConnectionString,
                new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["EventStore:Schema"] = OursSchema }).Build(),
                runtime => (runtime.RunProjections, runtime.RunWorkers, runtime.ReadModelSchema) = (false, false, OursSchema))
            .BuildServiceProvider();
        var runtime = Ours.GetRequiredService<EventRuntime>();
        // One writer and one batch: events get their global sequence in stream-id order, as Marten's bulk insert below gives them.
        await new SeedLoader(Ours.GetRequiredService<EventStore.EventStore>(), runtime) { Writers = 1, StreamsPerBatch = 1_000_000, EventsPerBatch = int.MaxValue }
            .RunAsync(() => Dataset);
        await runtime.Daemon.EnsureCreatedAsync(CancellationToken.None);
        foreach (var projection in Projections) await runtime.Daemon.RebuildAsync(projection.Name);

        Marten = DocumentStore.For(options =>
        {
            options.Configure(server.ConnectionString, TimeProvider.System, MartenSchema);
            options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
            foreach (var projection in Projections) MartenSqlProjection.Register(options, projection, MartenSchema);
        });
        await Marten.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            foreach (var sql in Projections.Select(p => p.CreateTablesSql(ProjectionTables.InSchema(MartenSchema))).Append(EventReader.SubjectIndexSql(MartenSchema)))
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }
        var metadata = new AppendMetadata { ActorId = SeedLoader.Metadata.ActorId, ActorRole = SeedLoader.Metadata.ActorRole };
        var streams = Dataset.Streams.OrderBy(s => s.StreamId, StringComparer.Ordinal).Select(s => ChainedAppends.StartChained(Marten, s.StreamId,
            [.. s.Events.Select(e => new PendingEvent(e.Data, e.OccurredOn, e.EventId))], metadata, DateTimeOffset.UtcNow)).ToList();
        await Marten.BulkInsertEventsAsync(streams, batchSize: 50_000);
        using var daemon = await Marten.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();
        await daemon.WaitForNonStaleData(TimeSpan.FromMinutes(3));
        await daemon.StopAllAsync();
        MartenReader = new EventReader(NpgsqlDataSource.Create(server.ConnectionString), MartenSchema);
    }

    public async ValueTask DisposeAsync()
    {
        await Ours.DisposeAsync();
        await Marten.DisposeAsync();
    }
}
