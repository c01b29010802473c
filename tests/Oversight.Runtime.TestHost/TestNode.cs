using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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

/// <summary>One node of the runtime over a schema, composed through <c>AddEventRuntime</c>: the store, the balances projection, the receipt handlers.</summary>
public sealed class TestNode : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private TestNode(NpgsqlDataSource dataSource, EventStore.EventStore store, BalancesProjection balances, ServiceProvider services)
    {
        DataSource = dataSource;
        Store = store;
        Balances = balances;
        _services = services;
    }

    public NpgsqlDataSource DataSource { get; }
    public EventStore.EventStore Store { get; }
    public BalancesProjection Balances { get; }
    public RuntimeOptions Options => _services.GetRequiredService<RuntimeOptions>();
    public MessageBus Bus => _services.GetRequiredService<MessageBus>();
    public EventWriter Writer => _services.GetRequiredService<EventWriter>();
    public ProjectionDaemon Daemon => _services.GetRequiredService<ProjectionDaemon>();
    public MessageWorkers Workers => _services.GetRequiredService<MessageWorkers>();
    public EventRuntime Runtime => _services.GetRequiredService<EventRuntime>();

    /// <summary>Builds the node without starting it (see <see cref="EventRuntime.StartAsync"/>); migrates the store and the runtime.</summary>
    public static async Task<TestNode> CreateAsync(string connectionString, string schema, TestNodeSettings settings, TimeProvider clock)
    {
        var dataSource = EventStoreServiceCollectionExtensions.CreateDataSource(connectionString);
        var store = new EventStore.EventStore(dataSource, TestModel.Events(), new EventStoreOptions { Schema = schema }, clock);
        await store.MigrateAsync();
        await ReceiptHandlers.CreateTablesAsync(dataSource, schema);

        var balances = new BalancesProjection { DelayPerEvent = settings.DelayPerEvent };
        var services = new ServiceCollection()
            .AddSingleton(store)
            .AddSingleton(clock)
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddEventRuntime(builder =>
            {
                builder.Options.NodeId = settings.NodeId;
                builder.Options.ReadModelSchema = $"{schema}_rm";
                builder.Options.RunProjections = settings.RunProjections;
                builder.Options.RunWorkers = settings.RunWorkers;
                builder.Options.ProjectionBatchSize = settings.ProjectionBatchSize;
                builder.Options.PollInterval = TimeSpan.FromMilliseconds(200);
                builder.Options.LeadershipRetryInterval = TimeSpan.FromMilliseconds(200);
                builder.Options.ProjectionRetryDelay = TimeSpan.FromMilliseconds(10);
                builder.Projections.Add(balances);
                ReceiptHandlers.Register(builder.Handlers, schema, settings.DelayPerMessage);
                settings.Configure?.Invoke(builder);
            })
            .BuildServiceProvider();
        var node = new TestNode(dataSource, store, balances, services);
        await node.Runtime.MigrateAsync();
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync(); // stops workers, daemon and the wake-up listener
        await DataSource.DisposeAsync();
    }
}
