using Oversight.EventStore.Migrations;
using Oversight.Runtime;

namespace Oversight.ReadModels.Storage;

/// <summary>Everything the service keeps in PostgreSQL, migrated in order: the store, the write path's tables, the runtime.</summary>
public static class OversightSchema
{
    /// <summary>Creates or upgrades every table; safe from several processes at once (the migrator serializes per schema).</summary>
    public static async Task MigrateAsync(EventStore.EventStore store, EventRuntime runtime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(runtime);
        await store.MigrateAsync(cancellationToken);
        await SchemaMigrator.MigrateAsync(store.DataSource, store.Schema, "api",
            SchemaMigrator.EmbeddedScripts(typeof(OversightSchema).Assembly, "Storage.Scripts"), cancellationToken);
        await runtime.MigrateAsync(cancellationToken);
    }
}
