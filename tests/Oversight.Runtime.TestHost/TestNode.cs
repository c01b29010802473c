using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Oversight.EventStore;
using Oversight.Runtime.Messaging;
using Oversight.Runtime.Projections;

namespace Oversight.Runtime.TestHost;

/// <summary>How a test node is set up.</summary>
public sealed record TestNodeSettings
{
    public string NodeId { get; init; } = $"node-{Environment.ProcessId}-{Guid.NewGuid():N}"[..24];
    public bool RunProjections { get; init; } = true;
    public bool RunWorkers { get; init; } = true;
    public TimeSpan DelayPerEvent { get; init; }
    public TimeSpan DelayPerMessage { get; init; }
    public int ProjectionBatchSize { get; init; } = 500;
    public Action<RuntimeBuilder>? Configure { get; init; }
}

/// <summary>One node of the runtime over a schema: the store, the balances projection, the receipt handlers.</summary>
public sealed class TestNode : IAsyncDisposable
{
    private TestNode(NpgsqlDataSource dataSource, EventStore.EventStore store, BalancesProjection balances, RuntimeOptions options,
        WakeSignal wake, MessageBus bus, EventWriter writer, ProjectionDaemon daemon, MessageWorkers workers, EventRuntime runtime)
    {
        DataSource = dataSource;
        Store = store;
        Balances = balances;
        Options = options;
        Wake = wake;
        Bus = bus;
        Writer = writer;
        Daemon = daemon;
        Workers = workers;
        Runtime = runtime;
    }

    public NpgsqlDataSource DataSource { get; }
    public EventStore.EventStore Store { get; }
    public BalancesProjection Balances { get; }
    public RuntimeOptions Options { get; }
    public WakeSignal Wake { get; }
    public MessageBus Bus { get; }
    public EventWriter Writer { get; }
    public ProjectionDaemon Daemon { get; }
    public MessageWorkers Workers { get; }
    public EventRuntime Runtime { get; }

    /// <summary>Builds the node without starting it (see <see cref="EventRuntime.StartAsync"/>); migrates the store.</summary>
    public static async Task<TestNode> CreateAsync(string connectionString, string schema, TestNodeSettings settings, TimeProvider clock)
    {
        var dataSource = EventStoreServiceCollectionExtensions.CreateDataSource(connectionString);
        var store = new EventStore.EventStore(dataSource, TestModel.Events(), new EventStoreOptions { Schema = schema }, clock);
        await store.MigrateAsync();
        await ReceiptHandlers.CreateTablesAsync(dataSource, schema);

        var builder = new RuntimeBuilder();
        builder.Options.NodeId = settings.NodeId;
        builder.Options.ReadModelSchema = $"{schema}_rm";
        builder.Options.RunProjections = settings.RunProjections;
        builder.Options.RunWorkers = settings.RunWorkers;
        builder.Options.ProjectionBatchSize = settings.ProjectionBatchSize;
        builder.Options.PollInterval = TimeSpan.FromMilliseconds(200);
        builder.Options.LeadershipRetryInterval = TimeSpan.FromMilliseconds(200);
        builder.Options.ProjectionRetryDelay = TimeSpan.FromMilliseconds(10);
        var balances = new BalancesProjection { DelayPerEvent = settings.DelayPerEvent };
        builder.Projections.Add(balances);
        ReceiptHandlers.Register(builder.Handlers, schema, settings.DelayPerMessage);
        settings.Configure?.Invoke(builder);

        var wake = new WakeSignal(dataSource, schema, NullLogger<WakeSignal>.Instance);
        var bus = new MessageBus(store, builder.Handlers, wake, clock);
        var writer = new EventWriter(store, builder.Projections, bus, wake, builder.Options);
        var daemon = new ProjectionDaemon(store, builder.Projections, builder.Options, wake, clock, NullLogger<ProjectionDaemon>.Instance);
        var workers = new MessageWorkers(store, builder.Handlers, bus, writer, builder.Options, wake, clock, NullLogger<MessageWorkers>.Instance);
        var runtime = new EventRuntime(store, daemon, workers, wake, builder.Options);
        await runtime.MigrateAsync();
        return new TestNode(dataSource, store, balances, builder.Options, wake, bus, writer, daemon, workers, runtime);
    }

    public async ValueTask DisposeAsync()
    {
        await Workers.DisposeAsync();
        await Daemon.DisposeAsync();
        await Wake.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
