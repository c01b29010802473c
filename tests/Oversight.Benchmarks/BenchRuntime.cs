using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Oversight.EventStore;
using Oversight.Runtime;
using Oversight.Runtime.Messaging;
using Oversight.Runtime.Projections;

namespace Oversight.Benchmarks;

/// <summary>The runtime on the benchmark's store, composed through <c>AddEventRuntime</c> (started by each scenario as it needs).</summary>
public sealed class BenchRuntime : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private BenchRuntime(ServiceProvider services) => _services = services;

    public MessageBus Bus => _services.GetRequiredService<MessageBus>();
    public EventWriter Writer => _services.GetRequiredService<EventWriter>();
    public ProjectionDaemon Daemon => _services.GetRequiredService<ProjectionDaemon>();
    public MessageWorkers Workers => _services.GetRequiredService<MessageWorkers>();

    public static async Task<BenchRuntime> CreateAsync(BenchContext context, Action<RuntimeBuilder> configure)
    {
        var store = context.Store;
        var services = new ServiceCollection()
            .AddSingleton(store)
            .AddSingleton(TimeProvider.System)
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddEventRuntime(builder =>
            {
                builder.Options.ReadModelSchema = "bench_rm";
                builder.Options.PollInterval = TimeSpan.FromMilliseconds(250);
                configure(builder);
            })
            .BuildServiceProvider();
        await services.GetRequiredService<EventRuntime>().MigrateAsync();
        await using (var reset = store.DataSource.CreateCommand(
            $"DROP SCHEMA IF EXISTS bench_rm CASCADE; TRUNCATE \"{store.Schema}\".projections, \"{store.Schema}\".outbox, \"{store.Schema}\".handled_messages"))
            await reset.ExecuteNonQueryAsync();
        await services.GetRequiredService<ProjectionDaemon>().EnsureCreatedAsync(CancellationToken.None);
        return new BenchRuntime(services);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

/// <summary>A simple per-stream projection: events and people affected per stream, one upsert per batch.</summary>
public sealed class StreamStatsProjection : IProjection
{
    public string Name => "stream_stats";
    public IReadOnlyList<string> Tables { get; } = ["stream_stats"];

    public async Task CreateTablesAsync(ProjectionContext context, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"CREATE TABLE IF NOT EXISTS {context.Table("stream_stats")} (stream_id text PRIMARY KEY, events bigint NOT NULL, people bigint NOT NULL, last_version bigint NOT NULL)",
            context.Connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        var byStream = new Dictionary<string, (long Events, long People, long Version)>();
        foreach (var e in events)
        {
            if (e.Data is not SomethingRecorded recorded) continue;
            byStream.TryGetValue(e.StreamId, out var s);
            byStream[e.StreamId] = (s.Events + 1, s.People + recorded.PeopleAffected, Math.Max(s.Version, e.Version));
        }
        await using var command = new NpgsqlCommand(
            $"""
            INSERT INTO {context.Table("stream_stats")} AS t (stream_id, events, people, last_version)
            SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[])
            ON CONFLICT (stream_id) DO UPDATE SET events = t.events + excluded.events, people = t.people + excluded.people,
                last_version = greatest(t.last_version, excluded.last_version)
            """, context.Connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. byStream.Keys] });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. byStream.Values.Select(v => v.Events)] });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. byStream.Values.Select(v => v.People)] });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. byStream.Values.Select(v => v.Version)] });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
