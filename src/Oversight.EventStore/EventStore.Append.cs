using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using Oversight.Persistence.Integrity;
using Oversight.EventStore.Telemetry;

namespace Oversight.EventStore;

public sealed partial class EventStore
{
    /// <summary>Appends events to one stream atomically, in its own transaction.</summary>
    /// <exception cref="WrongExpectedVersionException">The stream is not at <paramref name="expected"/>; nothing was written.</exception>
    /// <exception cref="IdempotencyKeyConflictException">The key was used on this stream for a different request.</exception>
    public async Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events,
        AppendOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prepared = PrepareAll(streamId, events);
        options ??= AppendOptions.None;
        for (var attempt = 0; ; attempt++)
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            try
            {
                // A single statement runs in its own implicit transaction: one round trip per append.
                return await AppendCoreAsync(connection, streamId, expected, prepared, options, cancellationToken);
            }
            catch (ConcurrentAppendException) when (attempt < _options.OrderingConflictRetries)
            {
                // Lost a race with a bulk import writing the same stream; a new transaction sees what it wrote.
            }
        }
    }

    /// <summary>
    /// Appends within the caller's open transaction on <paramref name="connection"/> (for work that must commit
    /// with the events, e.g. an outbox or inline projection). Version and idempotency conflicts leave the
    /// transaction usable; a <see cref="ConcurrentAppendException"/> means it was aborted and should be retried.
    /// </summary>
    public Task<AppendResult> AppendAsync(NpgsqlConnection connection, string streamId, ExpectedVersion expected,
        IReadOnlyList<EventData> events, AppendOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var prepared = PrepareAll(streamId, events);
        return AppendCoreAsync(connection, streamId, expected, prepared, options ?? AppendOptions.None, cancellationToken);
    }

    private async Task<AppendResult> AppendCoreAsync(NpgsqlConnection connection, string streamId, ExpectedVersion expected,
        List<PreparedEvent> events, AppendOptions options, CancellationToken cancellationToken)
    {
        using var activity = StoreTelemetry.StartActivity("eventstore.append", streamId, events.Count);
        var started = Stopwatch.GetTimestamp();
        var recordedAt = EventHash.TruncateToMicroseconds(_clock.GetUtcNow());

        var n = events.Count;
        var ids = new Guid[n];
        var types = new string[n];
        var versions = new int[n];
        var data = new byte[n][];
        var occurred = new DateOnly?[n];
        var digests = new byte[n][];
        for (var i = 0; i < n; i++)
        {
            var e = events[i];
            ids[i] = e.EventId;
            types[i] = e.Type;
            versions[i] = e.SchemaVersion;
            data[i] = e.Canonical;
            occurred[i] = e.OccurredOn;
            digests[i] = EventHash.ContentDigest(streamId, e.EventId, e.Type, e.SchemaVersion, recordedAt, e.OccurredOn,
                options.ActorId, options.ActorRole, options.CorrelationId, options.CausationId, options.IdempotencyKey, e.Canonical);
        }

        await using var command = new NpgsqlCommand(_sql.Append, connection);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string>{ TypedValue = streamId, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<long> { TypedValue = expected.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        p.Add(new NpgsqlParameter { Value = (object?)options.IdempotencyKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = options.IdempotencyKey is null ? DBNull.Value : RequestHash(events, options), NpgsqlDbType = NpgsqlDbType.Bytea });
        p.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = types, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<int[]> { TypedValue = versions, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        p.Add(new NpgsqlParameter<byte[][]> { TypedValue = data, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        p.Add(new NpgsqlParameter<DateOnly?[]> { TypedValue = occurred, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date });
        p.Add(new NpgsqlParameter<byte[][]> { TypedValue = digests, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = recordedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        AddText(p, options.ActorId);
        AddText(p, options.ActorRole);
        AddText(p, options.CorrelationId);
        AddText(p, options.CausationId);
        AddText(p, options.EffectiveTraceParent);

        int status;
        long first, last, sequence;
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (status, first, last, sequence) = (reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        }
        catch (PostgresException e) when (IsRetryableRace(e))
        {
            // A bulk import wrote this stream while we appended (its rows hit the unique (stream_id, version)
            // index first, or it locked the stream first). The transaction is aborted; a retry re-decides.
            throw new ConcurrentAppendException(streamId, e);
        }

        switch (status)
        {
            case AppendStatus.VersionConflict:
                StoreTelemetry.RecordConflict();
                activity?.SetStatus(ActivityStatusCode.Error, "wrong expected version");
                throw new WrongExpectedVersionException(streamId, expected, actualVersion: first);
            case AppendStatus.IdempotencyConflict:
                activity?.SetStatus(ActivityStatusCode.Error, "idempotency key conflict");
                throw new IdempotencyKeyConflictException(streamId, options.IdempotencyKey!);
            default:
                var replayed = status == AppendStatus.Replayed;
                StoreTelemetry.RecordAppend(replayed ? 0 : n, Stopwatch.GetElapsedTime(started), replayed);
                activity?.SetTag(StoreTelemetry.Tags.Replayed, replayed);
                return new AppendResult(streamId, first, last, sequence, replayed);
        }
    }

    /// <summary>Races with a concurrent bulk import: same versions written, the stream moved under us, or a deadlock.</summary>
    private static bool IsRetryableRace(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected;

    private static void AddText(NpgsqlParameterCollection parameters, string? value) =>
        parameters.Add(new NpgsqlParameter { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
}

/// <summary>The status column of append_events.</summary>
internal static class AppendStatus
{
    public const int Written = 0;
    public const int Replayed = 1;
    public const int VersionConflict = 2;
    public const int IdempotencyConflict = 3;
}
