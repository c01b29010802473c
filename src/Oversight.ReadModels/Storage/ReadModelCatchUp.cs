using System.Diagnostics;
using JasperFx.Events;
using Marten;
using Npgsql;
using Oversight.Persistence.Projections;

namespace Oversight.ReadModels.Storage;

/// <summary>What <see cref="ReadModelCatchUp"/> did: the position every read model reached, the events read and the time taken.</summary>
public sealed record CatchUpResult(long Position, long EventsRead, TimeSpan Elapsed);

/// <summary>
/// Brings the read models to the head of a log that nobody writes to meanwhile (after a seed) in a few large batches over one
/// read of the log, instead of each projection reading it again in Marten's daemon pages (ADR 12). Each batch of each
/// projection commits with its progression row, moved only from the value it was read at, as Marten's daemon moves it: a
/// daemon running at the same time makes one of the two fail its batch and retry from the other's progress, never apply a
/// range twice. Stops below the first gap in the sequence (a transaction still in flight), which the daemon then handles.
/// </summary>
public static class ReadModelCatchUp
{
    public const int BatchSize = 25_000;

    public static async Task<CatchUpResult> RunAsync(IDocumentStore store, NpgsqlDataSource dataSource, ReadModelCatalog catalog, string eventSchema,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(catalog);
        var watch = Stopwatch.StartNew();
        var limit = await GapFreeHeadAsync(dataSource, eventSchema, cancellationToken);
        var floors = new Dictionary<ISqlProjection, long>();
        foreach (var projection in catalog.Projections)
            floors[projection] = await FloorAsync(dataSource, eventSchema, catalog.ProgressionName(projection.Name), cancellationToken);

        long read = 0;
        var from = floors.Values.DefaultIfEmpty(limit).Min();
        // Two cores' worth: the next batch is read and deserialized while the projections write the current one, each on its own connection.
        var next = ReadAsync(store, from, limit, cancellationToken);
        while (true)
        {
            var events = await next;
            if (events.Count == 0) break;
            read += events.Count;
            var last = events[^1].Sequence;
            next = ReadAsync(store, last, limit, cancellationToken);
            var behind = catalog.Projections.Where(p => floors[p] < last).ToList();
            var applied = await Task.WhenAll(behind.Select(p => ApplyAsync(dataSource, eventSchema, catalog, p, events, floors[p], last, cancellationToken)));
            if (applied.Contains(false))
            {
                await next;
                return new CatchUpResult(from, read, watch.Elapsed); // a daemon moved a progression: it carries on from there
            }
            foreach (var projection in behind) floors[projection] = last;
            from = last;
        }
        return new CatchUpResult(floors.Values.DefaultIfEmpty(limit).Min(), read, watch.Elapsed);
    }

    private static async Task<IReadOnlyList<IEvent>> ReadAsync(IDocumentStore store, long after, long limit, CancellationToken cancellationToken)
    {
        if (after >= limit) return [];
        await using var session = store.QuerySession();
        return await session.Events.QueryAllRawEvents()
            .Where(e => e.Sequence > after && e.Sequence <= limit).OrderBy(e => e.Sequence).Take(BatchSize).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The projection's statements for its events after <paramref name="floor"/>, and its progression moved from <paramref name="floor"/>
    /// to <paramref name="to"/>, in one transaction.
    /// </summary>
    private static async Task<bool> ApplyAsync(NpgsqlDataSource dataSource, string eventSchema, ReadModelCatalog catalog, ISqlProjection projection,
        IReadOnlyList<IEvent> batch, long floor, long to, CancellationToken cancellationToken)
    {
        var types = projection.EventTypes.ToHashSet();
        var events = batch.Where(e => e.Sequence > floor && types.Contains(e.Data.GetType())).Select(MartenSqlProjection.ToProjected).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var progress = new NpgsqlCommand(
            $"""UPDATE "{eventSchema}".mt_event_progression SET last_seq_id = $2, last_updated = now() WHERE name = $1 AND last_seq_id = $3""", connection, transaction);
        progress.Parameters.Add(new NpgsqlParameter<string> { TypedValue = catalog.ProgressionName(projection.Name) });
        progress.Parameters.Add(new NpgsqlParameter<long> { TypedValue = to });
        progress.Parameters.Add(new NpgsqlParameter<long> { TypedValue = floor });
        if (await progress.ExecuteNonQueryAsync(cancellationToken) != 1) return false;

        var commands = new List<NpgsqlBatchCommand>();
        if (events.Count > 0) projection.Apply(events, catalog.Tables(projection.Name), commands);
        if (commands.Count > 0)
        {
            await using var statements = new NpgsqlBatch(connection, transaction);
            foreach (var command in commands) statements.BatchCommands.Add(command);
            await statements.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The projection's progression (a row at 0 is created for one that never ran, as Marten's daemon would).</summary>
    private static async Task<long> FloorAsync(NpgsqlDataSource dataSource, string eventSchema, string progression, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            WITH created AS (
                INSERT INTO "{eventSchema}".mt_event_progression (name, last_seq_id, last_updated) VALUES ($1, 0, now())
                ON CONFLICT (name) DO NOTHING RETURNING last_seq_id)
            SELECT last_seq_id FROM created UNION ALL SELECT last_seq_id FROM "{eventSchema}".mt_event_progression WHERE name = $1
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = progression });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The last sequence number below the first hole in the log (all of the log when it has none).</summary>
    private static async Task<long> GapFreeHeadAsync(NpgsqlDataSource dataSource, string eventSchema, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT coalesce(
                (SELECT seq_id FROM (SELECT seq_id, lead(seq_id) OVER (ORDER BY seq_id) AS next FROM "{eventSchema}".mt_events) s
                  WHERE next - seq_id > 1 ORDER BY seq_id LIMIT 1),
                (SELECT max(seq_id) FROM "{eventSchema}".mt_events), 0)
            """);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
