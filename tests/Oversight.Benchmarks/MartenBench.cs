using JasperFx;
using Marten;
using Npgsql;
using Oversight.Persistence;
using Oversight.Persistence.Events;
using Oversight.Persistence.Projections;

namespace Oversight.Benchmarks;

/// <summary>A Marten store in our configuration on a schema of its own, with the per-stream statistics projection, for the daemon scenarios.</summary>
internal static class MartenBench
{
    public static readonly AppendMetadata Metadata = new() { ActorId = "bench-user", ActorRole = "inspector", CorrelationId = "bench" };

    /// <summary>Our configuration with the statistics projection (its daemon built by the scenario), on a fresh schema.</summary>
    public static async Task<DocumentStore> CreateAsync(BenchContext context, string schema)
    {
        var store = await CreateAsync(context, schema, ours: true, options =>
        {
            MartenSqlProjection.Register(options, new StreamStats(), schema);
            options.Projections.AsyncMode = JasperFx.Events.Daemon.DaemonMode.ExternallyManaged;
        });
        await context.ExecuteAsync(new StreamStats().CreateTablesSql(ProjectionTables.InSchema(schema)));
        return store;
    }

    /// <summary>Marten on a fresh schema: our configuration, or its defaults (string stream keys only) as the peer.</summary>
    public static async Task<DocumentStore> CreateAsync(BenchContext context, string schema, bool ours, Action<StoreOptions>? configure = null)
    {
        await context.ExecuteAsync($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        var store = DocumentStore.For(options =>
        {
            if (ours) options.Configure(context.ConnectionString, TimeProvider.System, schema);
            else
            {
                options.Connection(context.ConnectionString);
                options.DatabaseSchemaName = schema;
                options.Events.StreamIdentity = JasperFx.Events.StreamIdentity.AsString;
            }
            options.AutoCreateSchemaObjects = AutoCreate.All;
            configure?.Invoke(options);
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return store;
    }

    public static PendingEvent Pending(int i) => BenchEvents.Event(i);
}

/// <summary>Events, people affected and amount per stream: one upsert per stream per batch, set-based as the read models write.</summary>
internal sealed class StreamStats : ISqlProjection
{
    public const string ProjectionName = "bench-stream-stats";
    public string Name => ProjectionName;
    public uint Version => 1;
    public IReadOnlyList<string> Tables { get; } = ["bench_stream_stats"];
    public IReadOnlyList<Type> EventTypes { get; } = [typeof(SomethingRecorded)];

    public string CreateTablesSql(ProjectionTables tables) =>
        $"CREATE TABLE IF NOT EXISTS {tables.Table("bench_stream_stats")} (stream_id text PRIMARY KEY, events bigint NOT NULL, people bigint NOT NULL, amount numeric NOT NULL)";

    public void Apply(IReadOnlyList<ProjectedEvent> events, ProjectionTables tables, ICollection<NpgsqlBatchCommand> commands)
    {
        var perStream = events.Where(e => e.Data is SomethingRecorded).GroupBy(e => e.StreamId)
            .Select(g => (Stream: g.Key, Events: (long)g.Count(), People: g.Sum(e => (long)((SomethingRecorded)e.Data).PeopleAffected),
                Amount: g.Sum(e => ((SomethingRecorded)e.Data).Amount))).ToList();
        if (perStream.Count == 0) return;
        commands.Add(new NpgsqlBatchCommand(
            $"""
            INSERT INTO {tables.Table("bench_stream_stats")} AS s (stream_id, events, people, amount)
            SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::numeric[])
            ON CONFLICT (stream_id) DO UPDATE SET events = s.events + excluded.events, people = s.people + excluded.people, amount = s.amount + excluded.amount
            """)
        {
            Parameters =
            {
                new NpgsqlParameter<string[]> { TypedValue = [.. perStream.Select(p => p.Stream)] },
                new NpgsqlParameter<long[]> { TypedValue = [.. perStream.Select(p => p.Events)] },
                new NpgsqlParameter<long[]> { TypedValue = [.. perStream.Select(p => p.People)] },
                new NpgsqlParameter<decimal[]> { TypedValue = [.. perStream.Select(p => p.Amount)] },
            },
        });
    }
}
