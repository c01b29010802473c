using Oversight.EventStore.Migrations;
using Oversight.Runtime.Messaging;
using Oversight.Runtime.Projections;

namespace Oversight.Runtime;

/// <summary>The runtime's parts for a host to migrate and start: the wake-up signal, the projection daemon and the message workers.</summary>
public sealed class EventRuntime(EventStore.EventStore store, ProjectionDaemon daemon, MessageWorkers workers, WakeSignal wake, RuntimeOptions options)
{
    public ProjectionDaemon Daemon => daemon;
    public MessageWorkers Workers => workers;

    /// <summary>Creates or upgrades the runtime's tables (in the store's schema). Run after the store's own migration.</summary>
    public Task MigrateAsync(CancellationToken cancellationToken = default) =>
        SchemaMigrator.MigrateAsync(store.DataSource, store.Schema, "runtime",
            SchemaMigrator.EmbeddedScripts(typeof(EventRuntime).Assembly, "Migrations.Scripts"), cancellationToken);

    /// <summary>Migrates, creates the read-model tables, and starts what <see cref="RuntimeOptions"/> asks this node to run.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await MigrateAsync(cancellationToken);
        wake.Start();
        if (options.RunProjections) await daemon.StartAsync(cancellationToken);
        else await daemon.EnsureCreatedAsync(cancellationToken);
        if (options.RunWorkers) workers.Start();
    }
}
