using JasperFx;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Oversight.Persistence;
using Oversight.Persistence.Integrity;
using Oversight.Persistence.Projections;
using Oversight.Persistence.Reading;
using Oversight.ReadModels.FollowUps;
using Oversight.ReadModels.PublicSanctions;
using Oversight.ReadModels.Risk;
using Oversight.ReadModels.Statistics;
using Wolverine.Marten;

namespace Oversight.ReadModels.Storage;

/// <summary>
/// The service's storage composed once for every host (API, CLI, benchmarks; ADR 8): Marten in our configuration with the
/// read models as async projections, the readers and verifier over its rows, and the
/// follow-up work through Wolverine (<c>wolverine: false</c> for tools that only read and load, such as the CLI).
/// </summary>
public static class OversightStorage
{
    public static IServiceCollection AddOversightStorage(this IServiceCollection services, string connectionString, IConfiguration configuration,
        bool wolverine = true)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection("Runtime").Get<StorageOptions>() ?? new StorageOptions();
        var risk = configuration.GetSection("Risk").Get<RiskOptions>() ?? new RiskOptions();
        services.AddSingleton(options);
        services.AddSingleton(risk);
        services.TryAddSingleton(TimeProvider.System);
        // Our connections keep their session between uses (no DISCARD ALL before each): nothing we run leaves session state
        // behind (transaction-scoped locks and settings only; the schema lock is released explicitly), and PostgreSQL keeps the
        // plans of the functions we call (Marten's append among them). Marten's and Wolverine's own pool keeps its defaults.
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        var dataSource = builder.Build();
        services.AddSingleton(dataSource);
        services.AddSingleton(_ => WriteDataSource.Create(connectionString, options.GenericWritePlans));
        services.AddSingleton(new EventReader(dataSource, options.EventSchema));
        services.AddSingleton(new Persistence.AccessLog.AccessLogStore(dataSource, options.EventSchema));
        services.AddSingleton(new ChainVerifier(dataSource, options.EventSchema));
        services.AddSingleton(sp => new PersonalDataEraser(sp.GetRequiredService<IDocumentStore>(), dataSource, options.EventSchema));
        var catalog = new ReadModelCatalog(Projections(risk), options.ReadModelSchema);
        services.AddSingleton(catalog);

        var marten = services.AddMarten(provider =>
        {
            var store = new StoreOptions();
            store.Configure(connectionString, provider.GetRequiredService<TimeProvider>(), options.EventSchema);
            // With Runtime:ApplySchemaAtStart=false the service changes no schema (oversight migrate does; Wolverine follows Marten).
            store.AutoCreateSchemaObjects = options.ApplySchemaAtStart ? AutoCreate.CreateOrUpdate : AutoCreate.None;
            // From the container, so the daemon runs the versions the queries read (a test may register another catalog).
            var registered = provider.GetRequiredService<ReadModelCatalog>();
            foreach (var projection in registered.Projections) MartenSqlProjection.Register(store, projection, registered.Schema);
            // Tools and HTTP-only nodes leave the projections to the nodes that run them.
            if (!wolverine || !options.RunProjections) store.Projections.AsyncMode = DaemonMode.ExternallyManaged;
            return store;
        });
        if (!wolverine) return services;
        marten.IntegrateWithWolverine();
        if (options.RunProjections)
        {
            // One node runs every shard; another takes over when it dies. Wolverine-managed distribution was tried for
            // blue/green (ADR 9): a second node did not become ready and fail-over took over 60 s.
            marten.AddAsyncDaemon(DaemonMode.HotCold);
            services.AddHostedService<ProjectionRecovery>();
        }
        marten.AddFollowUps();
        services.AddSingleton(new DeadlineOptions { PollInterval = options.PollInterval });
        if (options.RunWorkers) services.AddHostedService<DeadlinePoller>();
        return services;
    }

    /// <summary>The read models, in the order they are created and reported.</summary>
    public static ISqlProjection[] Projections(RiskOptions risk) => [new PublicSanctionsProjection(), new StatisticsProjection(), new RiskProjection(risk)];

    /// <summary>
    /// Creates or upgrades everything the service keeps in PostgreSQL: Marten's tables, the write path's, the read models',
    /// the deadlines, the access log and the subject index. Idempotent; several processes may run it at once (Marten serializes its part).
    /// </summary>
    public static async Task ApplySchemaAsync(IDocumentStore store, NpgsqlDataSource dataSource, StorageOptions options, ReadModelCatalog catalog,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(catalog);
        var ddl = new List<string> { $"CREATE SCHEMA IF NOT EXISTS \"{options.ReadModelSchema}\"", WriteTables(options.EventSchema) };
        ddl.AddRange(catalog.Projections.Select(p => p.CreateTablesSql(catalog.Tables(p.Name))));
        ddl.Add(Deadlines.CreateTableSql(options.EventSchema));
        ddl.Add(Persistence.AccessLog.AccessLogStore.CreateTableSql(options.EventSchema));
        ddl.Add(EventReader.SubjectIndexSql(options.EventSchema));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One process at a time: Marten's schema changes are not safe to run concurrently, and concurrent CREATE … IF NOT EXISTS
        // can still collide in the catalog. A session lock, released below (and by PostgreSQL if this process dies); taken inside
        // the try, because this pool keeps sessions between uses and nothing else would release it.
        try
        {
            await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended('oversight-schema', 0))", connection))
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync(AutoCreate.CreateOrUpdate);
            foreach (var sql in ddl)
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended('oversight-schema', 0))", connection);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>The write path's tables, in the events' schema so they commit with the events.</summary>
    private static string WriteTables(string schema) =>
        $"""
        CREATE TABLE IF NOT EXISTS "{schema}".api_idempotency (
            actor_id text NOT NULL, key text NOT NULL, request_hash bytea NOT NULL, status integer NOT NULL, location text,
            etag text NOT NULL, position bigint NOT NULL, body text NOT NULL, created_at timestamptz NOT NULL, PRIMARY KEY (actor_id, key));
        CREATE TABLE IF NOT EXISTS "{schema}".api_unique_numbers (
            kind text NOT NULL, value text NOT NULL, stream_id text NOT NULL, PRIMARY KEY (kind, value));
        """;
}
