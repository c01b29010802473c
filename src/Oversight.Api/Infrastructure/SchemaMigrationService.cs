using Marten;
using Npgsql;
using Oversight.ReadModels.Storage;

namespace Oversight.Api.Infrastructure;

/// <summary>Whether this node has brought the schema up to date; readiness waits for it.</summary>
internal sealed class SchemaState
{
    private volatile bool _migrated;
    public bool Migrated => _migrated;
    public void MarkMigrated() => _migrated = true;
}

/// <summary>
/// Brings the schema up to date before the projection daemon and the handlers start (Marten's tables, the write path's,
/// the read models', deadlines), retrying while the database is unreachable, so a node started before its database
/// becomes ready by itself. With <c>Runtime:ApplySchemaAtStart=false</c> it changes nothing (run <c>oversight migrate</c>).
/// </summary>
internal sealed partial class SchemaMigrationService(IDocumentStore store, NpgsqlDataSource dataSource, StorageOptions options, ReadModelCatalog catalog,
    SchemaState state, TimeProvider clock, ILogger<SchemaMigrationService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (true)
        {
            try
            {
                if (options.ApplySchemaAtStart) await OversightStorage.ApplySchemaAsync(store, dataSource, options, catalog, cancellationToken);
                if (options.LoadReferenceData) await ReadModels.ReferenceData.MocReferenceData.EnsureRecordedAsync(store, clock, cancellationToken);
                state.MarkMigrated();
                LogReady(logger, options.EventSchema);
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                LogRetry(logger, e, delay.TotalSeconds);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 15));
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema '{Schema}' is up to date; the service is ready.")]
    private static partial void LogReady(ILogger logger, string schema);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database not reachable for migration; retrying in {Seconds} s.")]
    private static partial void LogRetry(ILogger logger, Exception exception, double seconds);
}
