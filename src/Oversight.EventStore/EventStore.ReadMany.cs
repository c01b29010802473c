using System.Data;
using Npgsql;
using NpgsqlTypes;
using Oversight.EventStore.Telemetry;

namespace Oversight.EventStore;

/// <summary>Which part of several streams to read: a page after a global sequence, as known at an instant, up to a business date.</summary>
public sealed record StreamsQuery
{
    /// <summary>Only events after this global sequence (paging: pass the last sequence of the previous page).</summary>
    public long AfterSequence { get; init; }

    public int Limit { get; init; } = 1000;

    /// <summary>What the system knew then: per stream, the longest prefix recorded before this instant.</summary>
    public DateTimeOffset? RecordedBefore { get; init; }

    /// <summary>Only events whose business date is on or before this date (events without one are kept).</summary>
    public DateOnly? OccurredOnOrBefore { get; init; }
}

/// <summary>An event as stored, payload left as its stored JSON (schema version as written, not upcast): for pass-through readers such as audit exports.</summary>
public sealed record RawEvent(long Sequence, string StreamId, long Version, Guid EventId, string EventType, int SchemaVersion, string Json,
    DateTimeOffset RecordedAt, DateOnly? OccurredOn, string? ActorId, string? ActorRole, string? CorrelationId, string? CausationId);

public sealed partial class EventStore
{
    /// <summary>Reads several streams merged in global (sequence) order, e.g. everything that concerns one subject.</summary>
    public async Task<IReadOnlyList<RecordedEvent>> ReadStreamsAsync(IReadOnlyCollection<string> streamIds, StreamsQuery query,
        CancellationToken cancellationToken = default)
    {
        using var activity = StoreTelemetry.StartActivity("eventstore.read_streams", streamIds?.Count == 1 ? streamIds.First() : null);
        await using var command = ReadStreamsCommand(streamIds!, query);
        var events = new List<RecordedEvent>();
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) events.Add(ReadEvent(reader));
        activity?.SetTag(StoreTelemetry.Tags.EventCount, events.Count);
        return events;
    }

    /// <summary>As <see cref="ReadStreamsAsync"/>, with each payload as stored (no deserialization): the cheapest faithful export.</summary>
    public async Task<IReadOnlyList<RawEvent>> ReadStreamsRawAsync(IReadOnlyCollection<string> streamIds, StreamsQuery query,
        CancellationToken cancellationToken = default)
    {
        using var activity = StoreTelemetry.StartActivity("eventstore.read_streams", streamIds?.Count == 1 ? streamIds.First() : null);
        await using var command = ReadStreamsCommand(streamIds!, query);
        var events = new List<RawEvent>();
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var e = ReadEvent(reader, raw: true);
            events.Add(new RawEvent(e.Sequence, e.StreamId, e.Version, e.EventId, e.EventType, e.SchemaVersion, (string)e.Data, e.RecordedAt, e.OccurredOn,
                e.ActorId, e.ActorRole, e.CorrelationId, e.CausationId));
        }
        activity?.SetTag(StoreTelemetry.Tags.EventCount, events.Count);
        return events;
    }

    private NpgsqlCommand ReadStreamsCommand(IReadOnlyCollection<string> streamIds, StreamsQuery query)
    {
        ArgumentNullException.ThrowIfNull(streamIds);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        foreach (var id in streamIds) ValidateStreamId(id);
        var command = _dataSource.CreateCommand(query.RecordedBefore is null ? _sql.ReadStreams : _sql.ReadStreamsRecordedBefore);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. streamIds] });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = query.AfterSequence });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Limit });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.OccurredOnOrBefore ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date });
        if (query.RecordedBefore is { } instant)
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = instant, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return command;
    }
}
