using Microsoft.Extensions.Logging;
using Npgsql;
using Oversight.EventStore;

namespace Oversight.Runtime.Projections;

public sealed partial class ProjectionDaemon
{
    /// <summary>
    /// Rebuilds an async projection from the first event into fresh copies of its tables while the live ones
    /// keep serving, then swaps them in one transaction: under the projection's row lock (which pauses its
    /// leader) the copies catch up to the head, replace the live tables, and the checkpoint moves to where the
    /// copies stand. Readers see the old tables or the new ones, never an empty or half-built model. Open
    /// dead letters are resolved: the rebuild applied their events with the current code.
    /// </summary>
    /// <exception cref="ProjectionRebuildException">An event threw; the live tables are untouched.</exception>
    public async Task<RebuildProgress> RebuildAsync(string name, IProgress<RebuildProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var projection = _projections.Get(name);
        if (!_projections.IsAsync(name))
            throw new InvalidOperationException($"Projection '{name}' is inline: it is rebuilt by replaying its streams, not by the daemon.");

        await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken);
        // One rebuild of a projection at a time, cluster-wide; released when the connection closes.
        await using (var exclusive = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", connection))
        {
            exclusive.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"rebuild:{_store.Schema}:{name}" });
            if (!(bool)(await exclusive.ExecuteScalarAsync(cancellationToken))!)
                throw new InvalidOperationException($"Projection '{name}' is already being rebuilt.");
        }
        await using var release = new AdvisoryLockRelease(connection);

        var context = new ProjectionContext(connection, _readModelSchema, rebuilding: true);
        await using (var fresh = await connection.BeginTransactionAsync(cancellationToken))
        {
            await DropRebuildTablesAsync(connection, projection, cancellationToken);
            await projection.CreateTablesAsync(context, cancellationToken);
            await fresh.CommitAsync(cancellationToken);
        }

        try
        {
            var position = GlobalPosition.Start;
            long applied = 0;
            var head = await _store.ReadLastSequenceAsync(cancellationToken);
            // Bulk of the work: batch after batch, each its own transaction, until the copies reach the head.
            while (true)
            {
                var events = await _store.ReadAllAsync(position, _options.RebuildBatchSize, cancellationToken);
                if (events.Count == 0) break;
                await using (var batch = await connection.BeginTransactionAsync(cancellationToken))
                {
                    await ApplyForRebuildAsync(projection, context, events, cancellationToken);
                    await batch.CommitAsync(cancellationToken);
                }
                position = events[^1].Position;
                applied += events.Count;
                progress?.Report(new RebuildProgress(name, applied, Math.Max(head, position.Sequence), position.Sequence));
                if (events.Count < _options.RebuildBatchSize) break;
            }

            // Swap: the leader's batches wait on the row lock; what was committed meanwhile is applied here first.
            await using var swap = await connection.BeginTransactionAsync(cancellationToken);
            await _checkpoints.LockAsync(connection, name, cancellationToken);
            while (true)
            {
                var events = await _store.ReadAllAsync(position, _options.RebuildBatchSize, cancellationToken);
                if (events.Count == 0) break;
                await ApplyForRebuildAsync(projection, context, events, cancellationToken);
                position = events[^1].Position;
                applied += events.Count;
            }
            foreach (var table in projection.Tables)
            {
                var live = new ProjectionContext(connection, _readModelSchema, rebuilding: false).Table(table);
                await using var replace = new NpgsqlCommand(
                    $"DROP TABLE IF EXISTS {live}; ALTER TABLE {context.Table(table)} RENAME TO \"{table}\"", connection);
                await replace.ExecuteNonQueryAsync(cancellationToken);
            }
            await _checkpoints.AdvanceAsync(connection, name, position, cancellationToken);
            await _checkpoints.ResolveAllAsync(connection, name, "rebuilt", _clock.GetUtcNow(), cancellationToken);
            await swap.CommitAsync(cancellationToken);

            var done = new RebuildProgress(name, applied, position.Sequence, position.Sequence);
            progress?.Report(done);
            LogRebuilt(_logger, name, applied);
            return done;
        }
        catch
        {
            await DropRebuildTablesQuietlyAsync(projection);
            throw;
        }
    }

    /// <summary>
    /// Re-applies a projection's open dead letters (after a fix), each in its own transaction under the
    /// projection's row lock. Events are applied out of their original order, after later ones: for
    /// projections where order matters, rebuild instead.
    /// </summary>
    public async Task<DeadLetterReplay> ReplayDeadLettersAsync(string name, CancellationToken cancellationToken = default)
    {
        var projection = _projections.Get(name);
        await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken);
        int replayed = 0, failing = 0;
        foreach (var (id, sequence, transactionId) in await _checkpoints.UnresolvedAsync(connection, name, cancellationToken))
        {
            var events = await _store.ReadAllAsync(new GlobalPosition(transactionId, sequence - 1), 1, cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await _checkpoints.LockAsync(connection, name, cancellationToken);
            await transaction.SaveAsync("replay", cancellationToken);
            try
            {
                if (events.Count == 1 && events[0].Sequence == sequence)
                    await projection.ApplyAsync(new ProjectionContext(connection, _readModelSchema, rebuilding: false), events, cancellationToken);
                await _checkpoints.ResolveAsync(connection, id, events.Count == 1 ? "replayed" : "event missing", _clock.GetUtcNow(), cancellationToken);
                replayed++;
            }
            catch (Exception e) when (!Delays.IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                await transaction.RollbackAsync("replay", cancellationToken);
                await _checkpoints.RecordReplayFailureAsync(connection, id, e, _clock.GetUtcNow(), cancellationToken);
                failing++;
            }
            await transaction.CommitAsync(cancellationToken);
        }
        await _checkpoints.MarkRunningIfResolvedAsync(connection, name, cancellationToken);
        return new DeadLetterReplay(name, replayed, failing);
    }

    private static async Task ApplyForRebuildAsync(IProjection projection, ProjectionContext context, IReadOnlyList<RecordedEvent> events,
        CancellationToken cancellationToken)
    {
        try
        {
            await projection.ApplyAsync(context, events, cancellationToken);
        }
        catch (Exception e) when (!Delays.IsTransient(e) && !cancellationToken.IsCancellationRequested)
        {
            throw new ProjectionRebuildException(projection.Name, events[0].Sequence, events[^1].Sequence, e);
        }
    }

    private async Task DropRebuildTablesAsync(NpgsqlConnection connection, IProjection projection, CancellationToken cancellationToken)
    {
        var context = new ProjectionContext(connection, _readModelSchema, rebuilding: true);
        await using (var schema = new NpgsqlCommand($"CREATE SCHEMA IF NOT EXISTS \"{_readModelSchema}\"", connection))
            await schema.ExecuteNonQueryAsync(cancellationToken);
        foreach (var table in projection.Tables)
        {
            await using var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS {context.Table(table)}", connection);
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private async Task DropRebuildTablesQuietlyAsync(IProjection projection)
    {
        try
        {
            await using var connection = await _store.DataSource.OpenConnectionAsync(CancellationToken.None);
            await DropRebuildTablesAsync(connection, projection, CancellationToken.None);
        }
        catch (NpgsqlException e)
        {
            LogCleanupFailed(_logger, projection.Name, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Projection {Projection} rebuilt from {Events} events and swapped in.")]
    private static partial void LogRebuilt(ILogger logger, string projection, long events);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not drop the rebuild tables of {Projection}; the next rebuild will.")]
    private static partial void LogCleanupFailed(ILogger logger, string projection, Exception exception);
}

/// <summary>A rebuild stopped because the projection threw on an event; the live read model is unchanged.</summary>
public sealed class ProjectionRebuildException(string projection, long fromSequence, long toSequence, Exception inner)
    : Exception($"Rebuilding projection '{projection}' failed in the events {fromSequence}..{toSequence}: {inner.Message}", inner)
{
    public string Projection { get; } = projection;
}
