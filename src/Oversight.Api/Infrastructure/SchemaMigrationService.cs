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
/// Migrates the schema at start (store, write path, runtime) and starts the runtime, retrying while the
/// database is unreachable, so a node started before its database comes up becomes ready by itself.
/// Several nodes may run this at once (the migrator serializes).
/// </summary>
internal sealed partial class SchemaMigrationService(EventStore.EventStore store, Runtime.EventRuntime runtime, SchemaState state,
    ILogger<SchemaMigrationService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await OversightSchema.MigrateAsync(store, runtime, stoppingToken);
                await runtime.StartAsync(stoppingToken);
                state.MarkMigrated();
                LogReady(logger, store.Schema);
                return;
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                LogRetry(logger, e, delay.TotalSeconds);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 15));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema '{Schema}' is up to date; the service is ready.")]
    private static partial void LogReady(ILogger logger, string schema);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database not reachable for migration; retrying in {Seconds} s.")]
    private static partial void LogRetry(ILogger logger, Exception exception, double seconds);
}
