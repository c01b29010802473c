using System.Data;
using Npgsql;
using NpgsqlTypes;
using Oversight.EventStore.Telemetry;

namespace Oversight.EventStore;

/// <summary>A stream's current version and the hash its next event chains to.</summary>
public sealed record StreamHead(string StreamId, long Version, byte[] LastHash);

public sealed partial class EventStore
{
    /// <summary>
    /// Reads a stream in version order: all of it, up to <paramref name="toVersion"/>, and/or as it stood at
    /// <paramref name="recordedBefore"/> (what the system knew then: the events recorded before that instant).
    /// </summary>
    public async Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, long fromVersion = 1, long toVersion = long.MaxValue,
        DateTimeOffset? recordedBefore = null, CancellationToken cancellationToken = default)
    {
        var events = new List<RecordedEvent>();
        await foreach (var e in StreamEventsAsync(null, streamId, fromVersion, toVersion, recordedBefore, cancellationToken))
            events.Add(e);
        return events;
    }

    /// <summary>Reads a version range of a stream on the caller's connection, e.g. the events its open transaction just appended.</summary>
    public async Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(NpgsqlConnection connection, string streamId, long fromVersion,
        long toVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var events = new List<RecordedEvent>();
        await foreach (var e in StreamEventsAsync(connection, streamId, fromVersion, toVersion, null, cancellationToken))
            events.Add(e);
        return events;
    }

    /// <summary>
    /// Live aggregation: folds the stream's event payloads, <c>evolve(state, event)</c>, reading only what a
    /// fold needs. Returns the state and the version it reflects (0 when the stream has no events in range).
    /// </summary>
    public async Task<(TState State, long Version)> AggregateStreamAsync<TState>(string streamId, TState initial,
        Func<TState, object, TState> evolve, long toVersion = long.MaxValue, DateTimeOffset? recordedBefore = null,
        CancellationToken cancellationToken = default)
    {
        ValidateStreamId(streamId);
        ArgumentNullException.ThrowIfNull(evolve);
        ArgumentOutOfRangeException.ThrowIfLessThan(toVersion, 0);
        using var activity = StoreTelemetry.StartActivity("eventstore.aggregate_stream", streamId);
        await using var command = _dataSource.CreateCommand(recordedBefore is null ? _sql.FoldStream : _sql.FoldStreamRecordedBefore);
        AddStreamRangeParameters(command, streamId, 1, toVersion, recordedBefore);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        var state = initial;
        long version = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            version = reader.GetInt64(0);
            state = evolve(state, _types.Deserialize(reader.GetString(1), reader.GetInt32(2), reader.GetString(3)));
        }
        return (state, version);
    }

    /// <summary>Live aggregation over full events (payload and metadata: business date, actor, position).</summary>
    public async Task<(TState State, long Version)> AggregateRecordedStreamAsync<TState>(string streamId, TState initial,
        Func<TState, RecordedEvent, TState> evolve, long toVersion = long.MaxValue, DateTimeOffset? recordedBefore = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evolve);
        var state = initial;
        long version = 0;
        await foreach (var e in StreamEventsAsync(null, streamId, 1, toVersion, recordedBefore, cancellationToken))
        {
            state = evolve(state, e);
            version = e.Version;
        }
        return (state, version);
    }

    public async Task<StreamHead?> ReadHeadAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ValidateStreamId(streamId);
        await using var command = _dataSource.CreateCommand(_sql.StreamHead);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StreamHead(streamId, reader.GetInt64(0), reader.GetFieldValue<byte[]>(1))
            : null;
    }

    private async IAsyncEnumerable<RecordedEvent> StreamEventsAsync(NpgsqlConnection? connection, string streamId, long fromVersion, long toVersion,
        DateTimeOffset? recordedBefore, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ValidateStreamId(streamId);
        ArgumentOutOfRangeException.ThrowIfLessThan(fromVersion, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(toVersion, 0);
        using var activity = StoreTelemetry.StartActivity("eventstore.read_stream", streamId);
        var sql = recordedBefore is null ? _sql.ReadStream : _sql.ReadStreamRecordedBefore;
        await using var command = connection is null ? _dataSource.CreateCommand(sql) : new NpgsqlCommand(sql, connection);
        AddStreamRangeParameters(command, streamId, fromVersion, toVersion, recordedBefore);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        var count = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            count++;
            yield return ReadEvent(reader);
        }
        activity?.SetTag(StoreTelemetry.Tags.EventCount, count);
    }

    private static void AddStreamRangeParameters(NpgsqlCommand command, string streamId, long fromVersion, long toVersion, DateTimeOffset? recordedBefore)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = fromVersion });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = toVersion });
        if (recordedBefore is { } instant)
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = instant, NpgsqlDbType = NpgsqlDbType.TimestampTz });
    }

    /// <summary>Columns in the order of <see cref="Sql"/>'s event column list. <paramref name="raw"/> keeps the payload as its stored JSON text.</summary>
    private RecordedEvent ReadEvent(NpgsqlDataReader reader, bool lenient = false, bool raw = false)
    {
        var sequence = reader.GetInt64(0);
        var transactionId = reader.GetFieldValue<ulong>(1);
        var streamId = reader.GetString(2);
        var version = reader.GetInt64(3);
        var eventId = reader.GetGuid(4);
        var type = reader.GetString(5);
        var schemaVersion = reader.GetInt32(6);
        var json = reader.GetString(7);
        var recordedAt = reader.GetFieldValue<DateTimeOffset>(8);
        DateOnly? occurredOn = reader.IsDBNull(9) ? null : reader.GetFieldValue<DateOnly>(9);
        var actorId = reader.IsDBNull(10) ? null : reader.GetString(10);
        var actorRole = reader.IsDBNull(11) ? null : reader.GetString(11);
        var correlationId = reader.IsDBNull(12) ? null : reader.GetString(12);
        var causationId = reader.IsDBNull(13) ? null : reader.GetString(13);
        var idempotencyKey = reader.IsDBNull(14) ? null : reader.GetString(14);
        var hash = reader.GetFieldValue<byte[]>(15);
        var traceParent = reader.IsDBNull(16) ? null : reader.GetString(16);
        var data = raw ? json
            : lenient && !_types.CanRead(type, schemaVersion) ? new UnknownEvent(type, schemaVersion, json)
            : _types.Deserialize(type, schemaVersion, json);
        return new RecordedEvent(sequence, transactionId, streamId, version, eventId, type, schemaVersion,
            data, recordedAt, occurredOn, actorId, actorRole,
            correlationId, causationId, idempotencyKey, hash, traceParent);
    }
}
