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
/// becomes ready by itself. With <c>Runtime:ApplySchemaAtStart=false</c> (the default outside Development) it changes nothing and
/// the host does not start (nor listen) until <c>oversight migrate</c> has run.
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
                else await EnsureMigratedAsync(cancellationToken);
                if (options.LoadReferenceData) await ReadModels.ReferenceData.MocReferenceData.EnsureRecordedAsync(store, clock, cancellationToken);
                state.MarkMigrated();
                LogReady(logger, options.EventSchema);
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException || (!options.ApplySchemaAtStart && NotMigrated(e)))
            {
                // Waiting for a migration: look often (it is a cheap query); for an unreachable database back off further.
                var notMigrated = !options.ApplySchemaAtStart && NotMigrated(e);
                if (notMigrated) LogNotMigrated(logger, options.EventSchema, delay.TotalSeconds);
                else LogRetry(logger, e, delay.TotalSeconds);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, notMigrated ? 2 : 15));
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The tables this build reads are there: its read models' at their versions (a new version comes with a migration) and
    /// Wolverine's, which <c>oversight migrate</c> creates last and its host checks at start, so a node that saw Marten's tables
    /// in the middle of a migration does not start and fail.
    /// </summary>
    private async Task EnsureMigratedAsync(CancellationToken cancellationToken)
    {
        string[] tables = [.. catalog.Projections.SelectMany(p => p.Tables.Select(t => catalog.Tables(p.Name).Table(t))),
            $"\"{options.EventSchema}\".wolverine_incoming_envelopes"];
        await using var command = dataSource.CreateCommand("SELECT t FROM unnest($1::text[]) AS t WHERE to_regclass(t) IS NULL LIMIT 1");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = tables });
        if (await command.ExecuteScalarAsync(cancellationToken) is string missing) throw new NotMigratedException(missing);
    }

    public sealed class NotMigratedException(string table) : Exception($"Table {table} is missing.");

    /// <summary>The schema this node was told not to create is missing (Marten wraps PostgreSQL's error).</summary>
    private static bool NotMigrated(Exception e) => e is NotMigratedException
        || (e as PostgresException ?? e.InnerException as PostgresException)?.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName;

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema '{Schema}' is up to date; the service is ready.")]
    private static partial void LogReady(ILogger logger, string schema);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schema '{Schema}' is not migrated and Runtime:ApplySchemaAtStart is off: run `oversight migrate`; looking again in {Seconds} s.")]
    private static partial void LogNotMigrated(ILogger logger, string schema, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database not reachable for migration; retrying in {Seconds} s.")]
    private static partial void LogRetry(ILogger logger, Exception exception, double seconds);
}
