using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Oversight.EventStore;
using Oversight.Runtime.Telemetry;

namespace Oversight.Runtime.Projections;

/// <summary>A batch a projection committed, with its checkpoint.</summary>
public sealed record ProjectionBatch(string Projection, IReadOnlyList<RecordedEvent> Events, GlobalPosition Checkpoint);

/// <summary>
/// Applies one async projection's next batch. Every batch transaction locks the projection's row, re-reads
/// the checkpoint, applies and advances it: the read model and its checkpoint commit together, so an event
/// takes effect exactly once whoever runs the batch and whenever a process dies.
/// </summary>
internal sealed partial class ProjectionRunner(
    IProjection projection, EventStore.EventStore store, ProjectionCheckpoints checkpoints, RuntimeOptions options,
    string readModelSchema, TimeProvider clock, ILogger logger)
{
    // Catching up (after a bulk import, a restart, a new projection) reads larger batches: a full batch doubles
    // the next one up to RebuildBatchSize; a partial one means live tail again, back to ProjectionBatchSize.
    private int _batchSize = options.ProjectionBatchSize;

    public string Name => projection.Name;

    /// <summary>Applies the next batch; returns it, or null when the projection is caught up.</summary>
    public async Task<ProjectionBatch?> RunBatchAsync(CancellationToken cancellationToken)
    {
        var batch = await RunBatchCoreAsync(_batchSize, cancellationToken);
        _batchSize = batch is not null && batch.Events.Count >= _batchSize
            ? Math.Min(_batchSize * 2, Math.Max(options.RebuildBatchSize, options.ProjectionBatchSize))
            : options.ProjectionBatchSize;
        return batch;
    }

    private async Task<ProjectionBatch?> RunBatchCoreAsync(int batchSize, CancellationToken cancellationToken)
    {
        // Look before locking: an idle poll takes no lock and starts no writing transaction.
        GlobalPosition seen;
        await using (var peek = await store.DataSource.OpenConnectionAsync(cancellationToken))
            seen = await checkpoints.ReadAsync(peek, Name, cancellationToken);
        var events = await store.ReadAllAsync(seen, batchSize, cancellationToken);
        if (events.Count == 0) return null;

        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var checkpoint = await checkpoints.LockAsync(connection, Name, cancellationToken);
        if (checkpoint != seen)
        {
            // Another applier (a rebuild's swap, or a node that still believed it led) moved it meanwhile.
            events = await store.ReadAllAsync(checkpoint, batchSize, cancellationToken);
            if (events.Count == 0) return null;
        }

        using var activity = StartBatchActivity(events);
        try
        {
            await projection.ApplyAsync(new ProjectionContext(connection, readModelSchema, rebuilding: false), events, cancellationToken);
        }
        catch (Exception e) when (!Delays.IsTransient(e) && !cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            await transaction.RollbackAsync(cancellationToken);
            return await ApplyOneByOneAsync(checkpoint, events, cancellationToken);
        }
        await checkpoints.AdvanceAsync(connection, Name, events[^1].Position, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        RuntimeTelemetry.RecordProjected(Name, events.Count);
        return new ProjectionBatch(Name, events, events[^1].Position);
    }

    /// <summary>
    /// A batch failed: apply its events one at a time to find the poison one. Each is tried
    /// <see cref="RuntimeOptions.ProjectionAttempts"/> times; then it is dead-lettered and the projection moves on.
    /// </summary>
    private async Task<ProjectionBatch?> ApplyOneByOneAsync(GlobalPosition from, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        var applied = new List<RecordedEvent>();
        var expected = from;
        foreach (var e in events)
        {
            for (var attempt = 1; ; attempt++)
            {
                await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                if (await checkpoints.LockAsync(connection, Name, cancellationToken) != expected)
                    return applied.Count == 0 ? null : new ProjectionBatch(Name, applied, expected);
                try
                {
                    await projection.ApplyAsync(new ProjectionContext(connection, readModelSchema, rebuilding: false), [e], cancellationToken);
                    await checkpoints.AdvanceAsync(connection, Name, e.Position, cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                    applied.Add(e);
                    break;
                }
                catch (Exception error) when (!Delays.IsTransient(error) && !cancellationToken.IsCancellationRequested)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    if (attempt < options.ProjectionAttempts)
                    {
                        LogRetrying(logger, Name, e.Sequence, attempt, error);
                        await Task.Delay(options.ProjectionRetryDelay * attempt, cancellationToken);
                        continue;
                    }
                    await using var deadLetter = await connection.BeginTransactionAsync(cancellationToken);
                    if (await checkpoints.LockAsync(connection, Name, cancellationToken) != expected) return null;
                    await checkpoints.DeadLetterAsync(connection, Name, e, error, attempt, clock.GetUtcNow(), cancellationToken);
                    await deadLetter.CommitAsync(cancellationToken);
                    RuntimeTelemetry.RecordProjectionDeadLetter(Name);
                    LogDeadLettered(logger, Name, e.Sequence, e.EventType, attempt, error);
                    break;
                }
            }
            expected = e.Position;
        }
        RuntimeTelemetry.RecordProjected(Name, applied.Count);
        return new ProjectionBatch(Name, applied, expected);
    }

    private Activity? StartBatchActivity(IReadOnlyList<RecordedEvent> events)
    {
        // The batch joins the trace of its first traced event and links to the others (capped).
        var traced = events.Where(e => e.TraceParent is not null).Select(e => e.TraceParent!).Distinct().Take(32).ToList();
        var links = traced.Skip(1).Select(t => ActivityContext.TryParse(t, null, out var c) ? new ActivityLink(c) : default)
            .Where(l => l.Context != default).ToList();
        var activity = RuntimeTelemetry.StartActivity($"project {Name}", ActivityKind.Consumer, traced.FirstOrDefault(), links);
        activity?.SetTag(RuntimeTelemetry.Tags.Projection, Name);
        activity?.SetTag(RuntimeTelemetry.Tags.EventCount, events.Count);
        return activity;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Projection {Projection} failed on event {Sequence} (attempt {Attempt}); retrying.")]
    private static partial void LogRetrying(ILogger logger, string projection, long sequence, int attempt, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Projection {Projection} dead-lettered event {Sequence} ({EventType}) after {Attempts} attempts; it continues, degraded.")]
    private static partial void LogDeadLettered(ILogger logger, string projection, long sequence, string eventType, int attempts, Exception exception);
}
