using System.Diagnostics;
using NpgsqlTypes;
using Marten;
using Npgsql;
using Oversight.Persistence.Events;
using Oversight.Persistence.Integrity;
using Oversight.ReadModels.FollowUps;
using Oversight.ReadModels.Risk;
using Oversight.ReadModels.ReferenceData;
using Oversight.ReadModels.Storage;

namespace Oversight.Cli.Seeding;

/// <summary>The seed would touch existing data: nothing was written.</summary>
public sealed class SeedRefusedException(string message) : Exception(message);

/// <summary>What a seed wrote and how long each step took.</summary>
/// <param name="Events">Events written.</param>
/// <param name="Streams">Streams written.</param>
/// <param name="UniqueNumbers">Permit and plan numbers claimed.</param>
/// <param name="Generation">Time to generate the dataset.</param>
/// <param name="Load">Time to write it (events, numbers, table statistics).</param>
/// <param name="ReadModels">The read models brought to the head of the seeded log (<see cref="ReadModelCatchUp"/>).</param>
public sealed record SeedResult(long Events, int Streams, int UniqueNumbers, TimeSpan Generation, TimeSpan Load, CatchUpResult ReadModels)
{
    public double EventsPerSecond => Load.TotalSeconds > 0 ? Events / Load.TotalSeconds : 0;
}

/// <summary>
/// Writes a generated dataset into an empty store through Marten's bulk path (binary COPY, a few thousand streams per
/// call), every event chained (ADR 8), with metadata actor <c>seed</c> / role <c>system</c> and each event's business date as
/// occurred-on, then claims every permit and plan number in <c>api_unique_numbers</c> (binary COPY) so the API never reuses one.
/// </summary>
public sealed class SeedLoader(DocumentStore store, NpgsqlDataSource dataSource, StorageOptions options, RiskOptions risk)
{
    public static readonly AppendMetadata Metadata = new() { ActorId = FollowUpServices.SeedActor, ActorRole = "system" };

    public int StreamsPerBatch { get; init; } = 2_000;
    public int EventsPerBatch { get; init; } = 40_000;

    /// <summary>Batches written at once (each its own COPY and transaction; their streams are disjoint).</summary>
    public int Writers { get; init; } = 2;

    /// <summary>Migrates, refuses a store that already holds events or claimed numbers, generates and writes.</summary>
    /// <param name="generate">Makes the dataset (called once the store is known to be empty).</param>
    /// <param name="onGenerated">Called once the dataset is generated, with its event count (e.g. to size a progress bar).</param>
    /// <param name="onWritten">Called after each batch with the number of events written so far.</param>
    /// <param name="cancellationToken">Stops between batches; batches already written stay.</param>
    public async Task<SeedResult> RunAsync(Func<SeedDataset> generate, Action<SeedDataset>? onGenerated = null, Action<long>? onWritten = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generate);
        var catalog = new ReadModelCatalog(OversightStorage.Projections(risk), options.ReadModelSchema);
        await OversightStorage.ApplySchemaAsync(store, dataSource, options, catalog, cancellationToken);
        await EnsureEmptyAsync(cancellationToken);
        // The memoranda the generated reports and plans rely on (a store started by the API may hold them already).
        await MocReferenceData.EnsureRecordedAsync(store, TimeProvider.System, cancellationToken);

        var watch = Stopwatch.StartNew();
        var dataset = generate();
        var generation = watch.Elapsed;
        onGenerated?.Invoke(dataset);

        watch.Restart();
        long written = 0;
        var inFlight = new Queue<Task<int>>();
        async Task CompleteOldestAsync()
        {
            written += await inFlight.Dequeue();
            onWritten?.Invoke(written);
        }
        async Task<int> WriteAsync(List<SeedStream> streams, int events)
        {
            var now = DateTimeOffset.UtcNow;
            var actions = streams.Select(s => ChainedAppends.StartChained(store, s.StreamId,
                [.. s.Events.Select(e => new PendingEvent(e.Data, e.OccurredOn, e.EventId))], Metadata, now)).ToList();
            await store.BulkInsertEventsAsync(actions, batchSize: Math.Max(1, events), cancellationToken);
            return events;
        }

        var batch = new List<SeedStream>(StreamsPerBatch);
        var batchEvents = 0;
        foreach (var stream in dataset.Streams)
        {
            batch.Add(stream);
            batchEvents += stream.Events.Count;
            if (batch.Count >= StreamsPerBatch || batchEvents >= EventsPerBatch)
            {
                if (inFlight.Count >= Writers) await CompleteOldestAsync();
                var (streams, events) = (batch, batchEvents);
                inFlight.Enqueue(Task.Run(() => WriteAsync(streams, events), cancellationToken));
                batch = new List<SeedStream>(StreamsPerBatch);
                batchEvents = 0;
            }
        }
        if (batch.Count > 0) inFlight.Enqueue(WriteAsync(batch, batchEvents));
        while (inFlight.Count > 0) await CompleteOldestAsync();
        await ClaimNumbersAsync(dataset.UniqueNumbers, cancellationToken);
        await FollowUpServices.MarkSeededHistorySeenAsync(dataSource, options.EventSchema, cancellationToken);
        await AnalyzeAsync(cancellationToken);
        var load = watch.Elapsed;
        // The read models in a few large batches now, rather than by the daemon's pages after the API starts (ADR 12).
        var readModels = await ReadModelCatchUp.RunAsync(store, dataSource, catalog, options.EventSchema, cancellationToken);
        return new SeedResult(written, dataset.Streams.Count, dataset.UniqueNumbers.Count, generation, load, readModels);
    }

    /// <summary>
    /// Table statistics for what was just loaded. Until autovacuum gets to it, the planner takes the freshly filled event
    /// tables for nearly empty, and the daemon's page query (a range of sequence numbers joined to the streams, limited)
    /// becomes a hash join over every remaining event and stream per page: 142 ms instead of 2.4 ms at 300k events,
    /// growing with the store, so read models took minutes to catch up after a seed.
    /// </summary>
    private async Task AnalyzeAsync(CancellationToken cancellationToken)
    {
        var schema = options.EventSchema;
        await using var command = dataSource.CreateCommand($"""ANALYZE "{schema}".mt_events, "{schema}".mt_streams, "{schema}".api_unique_numbers""");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task EnsureEmptyAsync(CancellationToken cancellationToken)
    {
        var schema = options.EventSchema;
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT EXISTS (SELECT 1 FROM "{schema}".mt_events WHERE user_name IS DISTINCT FROM $1), EXISTS (SELECT 1 FROM "{schema}".api_unique_numbers)
            """);
        // Reference data (the memoranda a first start records) is not history: a store holding only that is empty.
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = MocReferenceData.Actor });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (reader.GetBoolean(0))
            throw new SeedRefusedException($"The event store in schema '{schema}' is not empty: seeding writes only into an empty store, and existing data is never touched.");
        if (reader.GetBoolean(1))
            throw new SeedRefusedException($"Permit or plan numbers are already claimed in '{schema}'.api_unique_numbers: seeding writes only into an empty store.");
    }

    private async Task ClaimNumbersAsync(IReadOnlyList<UniqueNumberClaim> claims, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var importer = await connection.BeginBinaryImportAsync(
            $"""COPY "{options.EventSchema}".api_unique_numbers (kind, value, stream_id) FROM STDIN (FORMAT BINARY)""", cancellationToken);
        foreach (var claim in claims)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(claim.Kind, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(claim.Value, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(claim.StreamId, NpgsqlDbType.Text, cancellationToken);
        }
        await importer.CompleteAsync(cancellationToken);
    }
}
