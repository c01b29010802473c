using System.Diagnostics;
using NpgsqlTypes;
using Oversight.EventStore;
using Oversight.ReadModels.Storage;
using Oversight.Runtime;

namespace Oversight.Cli.Seeding;

/// <summary>The seed would touch existing data: nothing was written.</summary>
public sealed class SeedRefusedException(string message) : Exception(message);

public sealed record SeedResult(long Events, int Streams, int UniqueNumbers, TimeSpan Generation, TimeSpan Load)
{
    public double EventsPerSecond => Load.TotalSeconds > 0 ? Events / Load.TotalSeconds : 0;
}

/// <summary>
/// Writes a generated dataset into an empty store through the bulk path (binary COPY, a few thousand streams per
/// transaction), with metadata actor <c>seed</c> / role <c>system</c> and each event's business date as occurred-on,
/// then claims every permit and plan number in <c>api_unique_numbers</c> (binary COPY) so the API never reuses one.
/// </summary>
public sealed class SeedLoader(EventStore.EventStore store, EventRuntime runtime)
{
    public static readonly AppendOptions Metadata = new() { ActorId = "seed", ActorRole = "system" };

    public int StreamsPerBatch { get; init; } = 2_000;
    public int EventsPerBatch { get; init; } = 40_000;

    /// <summary>Batches written at once (each in its own transaction and connection; their streams are disjoint).</summary>
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
        await OversightSchema.MigrateAsync(store, runtime, cancellationToken);
        await EnsureEmptyAsync(cancellationToken);

        var watch = Stopwatch.StartNew();
        var dataset = generate();
        var generation = watch.Elapsed;
        onGenerated?.Invoke(dataset);

        watch.Restart();
        long written = 0;
        var inFlight = new Queue<Task<BulkAppendResult>>();
        async Task CompleteOldestAsync()
        {
            written += (await inFlight.Dequeue()).Events;
            onWritten?.Invoke(written);
        }

        var batch = new List<StreamAppend>(StreamsPerBatch);
        var batchEvents = 0;
        foreach (var stream in dataset.Streams)
        {
            var events = new EventData[stream.Events.Count];
            for (var i = 0; i < events.Length; i++)
            {
                var e = stream.Events[i];
                events[i] = new EventData(e.Data, e.OccurredOn, e.EventId);
            }
            batch.Add(new StreamAppend(stream.StreamId, ExpectedVersion.NoStream, events));
            batchEvents += events.Length;
            if (batch.Count >= StreamsPerBatch || batchEvents >= EventsPerBatch)
            {
                if (inFlight.Count >= Writers) await CompleteOldestAsync();
                inFlight.Enqueue(store.BulkAppendAsync(batch, Metadata, cancellationToken));
                batch = new List<StreamAppend>(StreamsPerBatch);
                batchEvents = 0;
            }
        }
        if (batch.Count > 0) inFlight.Enqueue(store.BulkAppendAsync(batch, Metadata, cancellationToken));
        while (inFlight.Count > 0) await CompleteOldestAsync();
        await ClaimNumbersAsync(dataset.UniqueNumbers, cancellationToken);
        return new SeedResult(written, dataset.Streams.Count, dataset.UniqueNumbers.Count, generation, watch.Elapsed);
    }

    private async Task EnsureEmptyAsync(CancellationToken cancellationToken)
    {
        await using var command = store.DataSource.CreateCommand(
            $"""
            SELECT EXISTS (SELECT 1 FROM "{store.Schema}".events), EXISTS (SELECT 1 FROM "{store.Schema}".api_unique_numbers)
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (reader.GetBoolean(0))
            throw new SeedRefusedException($"The events table of schema '{store.Schema}' is not empty: seeding writes only into an empty store, and existing data is never touched.");
        if (reader.GetBoolean(1))
            throw new SeedRefusedException($"Permit or plan numbers are already claimed in '{store.Schema}'.api_unique_numbers: seeding writes only into an empty store.");
    }

    private async Task ClaimNumbersAsync(IReadOnlyList<UniqueNumberClaim> claims, CancellationToken cancellationToken)
    {
        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var importer = await connection.BeginBinaryImportAsync(
            $"""COPY "{store.Schema}".api_unique_numbers (kind, value, stream_id) FROM STDIN (FORMAT BINARY)""", cancellationToken);
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
