using System.Runtime.CompilerServices;
using Npgsql;
using Oversight.Persistence.Events;

namespace Oversight.Persistence.Reading;

/// <summary>
/// An open page of history (<see cref="EventReader.OpenPageAsync"/>): <see cref="Next"/> is known before the rows, which
/// <see cref="ReadAsync"/> yields as PostgreSQL sends them. Holds a connection until disposed.
/// </summary>
public sealed class HistoryPage : IAsyncDisposable
{
    private readonly NpgsqlConnection connection;
    private readonly NpgsqlTransaction transaction;
    private readonly NpgsqlBatch batch;
    private readonly NpgsqlDataReader reader;
    private bool disposed;

    internal HistoryPage(NpgsqlConnection connection, NpgsqlTransaction transaction, NpgsqlBatch batch, NpgsqlDataReader reader, long? next)
    {
        this.connection = connection;
        this.transaction = transaction;
        this.batch = batch;
        this.reader = reader;
        Next = next;
    }

    /// <summary>The last sequence of the page when it is full (pass it as <c>after</c> for the next page); null on the last page.</summary>
    public long? Next { get; }

    /// <summary>The page's events in global order, read once.</summary>
    public async IAsyncEnumerable<StoredEvent> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await reader.ReadAsync(cancellationToken))
        {
            string? Text(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
            var sequence = reader.GetInt64(0);
            var streamId = reader.GetString(1);
            var version = reader.GetInt64(2);
            var id = reader.GetGuid(3);
            var (type, schemaVersion) = EventNames.Parse(reader.GetString(4));
            var json = reader.GetFieldValue<byte[]>(5); // text as its UTF-8 bytes
            var recordedAt = reader.GetFieldValue<DateTimeOffset>(6);
            var occurredOn = Text(7) is { } date ? EventHeaderValues.ParseDate(date) ?? throw new FormatException($"Not a business date: '{date}'.") : (DateOnly?)null;
            yield return new StoredEvent(sequence, streamId, version, id, type, schemaVersion, json, recordedAt, occurredOn, Text(8), Text(9), Text(10), Text(11));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed) return;
        disposed = true;
        try
        {
            await reader.DisposeAsync(); // drains what is left of an aborted page; may fail on a broken connection
            await batch.DisposeAsync();
            await transaction.DisposeAsync();
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }
}
