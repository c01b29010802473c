using Npgsql;
using NpgsqlTypes;
using Oversight.EventStore.Integrity;
using Oversight.EventStore.Telemetry;

namespace Oversight.EventStore;

public sealed partial class EventStore
{
    /// <summary>
    /// Appends many streams' events in one transaction through binary COPY (imports). Same guarantees as
    /// <see cref="AppendAsync(string, ExpectedVersion, IReadOnlyList{EventData}, AppendOptions?, CancellationToken)"/>:
    /// expected versions are checked under row locks before any event is written, hashes chain onto each
    /// stream's head, a stream whose idempotency key was already used with the same payload is skipped, and
    /// either everything is written or nothing.
    /// </summary>
    public async Task<BulkAppendResult> BulkAppendAsync(IReadOnlyList<StreamAppend> streams, AppendOptions? metadata = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streams);
        if (streams.Count == 0) return new BulkAppendResult(0, 0, 0, 0);
        metadata ??= AppendOptions.None;
        if (metadata.IdempotencyKey is not null)
            throw new ArgumentException("Bulk appends take idempotency keys per stream (StreamAppend.IdempotencyKey).", nameof(metadata));

        if (streams.Any(s => s is null)) throw new ArgumentNullException(nameof(streams), "A stream append is null.");
        var ordered = streams.OrderBy(s => s.StreamId, StringComparer.Ordinal).ToArray();
        for (var i = 1; i < ordered.Length; i++)
        {
            if (ordered[i].StreamId == ordered[i - 1].StreamId)
                throw new ArgumentException($"Stream '{ordered[i].StreamId}' appears twice in one bulk append.", nameof(streams));
        }
        foreach (var stream in ordered)
        {
            ValidateStreamId(stream.StreamId);
            ArgumentNullException.ThrowIfNull(stream.Events, nameof(streams));
            if (stream.Events.Count == 0) throw new ArgumentException($"Stream '{stream.StreamId}' has no events.", nameof(streams));
        }
        // Serializing and canonicalizing is the client's main cost in an import: spread it over the cores.
        var prepared = new List<PreparedEvent>[ordered.Length];
        try
        {
            Parallel.For(0, ordered.Length, i => prepared[i] = PrepareAll(ordered[i].StreamId, ordered[i].Events));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await BulkAppendOnceAsync(ordered, prepared, metadata, cancellationToken);
            }
            catch (OrderingConflictException) when (attempt < _options.OrderingConflictRetries)
            {
                // A single append wrote one of these streams with a newer transaction id; retry with a new one.
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // Another writer created one of our new streams after we looked: report it as the conflict it is.
                foreach (var stream in ordered.Where(s => s.Expected.Value < 1))
                    if (await ReadHeadAsync(stream.StreamId, cancellationToken) is { } head)
                        throw new WrongExpectedVersionException(stream.StreamId, stream.Expected, head.Version, e);
                throw;
            }
        }
    }

    private async Task<BulkAppendResult> BulkAppendOnceAsync(StreamAppend[] ordered, List<PreparedEvent>[] prepared,
        AppendOptions metadata, CancellationToken cancellationToken)
    {
        using var activity = StoreTelemetry.StartActivity("eventstore.bulk_append");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var recordedAt = EventHash.TruncateToMicroseconds(_clock.GetUtcNow());
        var ids = ordered.Select(s => s.StreamId).ToArray();

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Lock existing heads in id order (deadlock-free with other bulk appends), then learn our transaction id.
        var heads = new Dictionary<string, (long Version, byte[] Hash, ulong Tx)>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(_sql.LockStreams, connection))
        {
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                heads[reader.GetString(0)] = (reader.GetInt64(1), reader.GetFieldValue<byte[]>(2), reader.GetFieldValue<ulong>(3));
        }
        ulong me;
        await using (var command = new NpgsqlCommand("SELECT pg_current_xact_id()", connection))
            me = (ulong)(await command.ExecuteScalarAsync(cancellationToken))!;
        foreach (var head in heads.Values)
            if (head.Tx > me)
                throw new OrderingConflictException();

        var replayed = await FindReplayedStreamsAsync(connection, ordered, prepared, cancellationToken);

        var newStreams = new List<(string Id, long Version, byte[] Hash)>();
        var updatedStreams = new List<(string Id, long Version, byte[] Hash)>();
        var keys = new List<(string StreamId, string Key, byte[] RequestHash, long First, long Last)>();
        var written = 0;

        await using (var importer = await connection.BeginBinaryImportAsync(_sql.CopyEvents, cancellationToken))
        {
            for (var s = 0; s < ordered.Length; s++)
            {
                var stream = ordered[s];
                if (replayed.Contains(stream.StreamId)) continue;
                var exists = heads.TryGetValue(stream.StreamId, out var head);
                var current = exists ? head.Version : 0;
                var expected = stream.Expected.Value;
                if ((expected == -1 && current > 0) || (expected >= 0 && expected != current))
                    throw new WrongExpectedVersionException(stream.StreamId, stream.Expected, current);

                var previous = exists ? head.Hash : [];
                var version = current;
                foreach (var e in prepared[s])
                {
                    version++;
                    var digest = EventHash.ContentDigest(stream.StreamId, e.EventId, e.Type, e.SchemaVersion, recordedAt, e.OccurredOn,
                        metadata.ActorId, metadata.ActorRole, metadata.CorrelationId, metadata.CausationId, stream.IdempotencyKey, e.Canonical);
                    previous = EventHash.Chain(previous, version, digest);
                    await importer.StartRowAsync(cancellationToken);
                    await importer.WriteAsync(stream.StreamId, NpgsqlDbType.Text, cancellationToken);
                    await importer.WriteAsync(version, NpgsqlDbType.Bigint, cancellationToken);
                    await importer.WriteAsync(e.EventId, NpgsqlDbType.Uuid, cancellationToken);
                    await importer.WriteAsync(e.Type, NpgsqlDbType.Text, cancellationToken);
                    await importer.WriteAsync(e.SchemaVersion, NpgsqlDbType.Integer, cancellationToken);
                    await importer.WriteAsync(e.Json, NpgsqlDbType.Jsonb, cancellationToken);
                    await importer.WriteAsync(recordedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                    await WriteNullableAsync(importer, e.OccurredOn, NpgsqlDbType.Date, cancellationToken);
                    await WriteNullableAsync(importer, metadata.ActorId, NpgsqlDbType.Text, cancellationToken);
                    await WriteNullableAsync(importer, metadata.ActorRole, NpgsqlDbType.Text, cancellationToken);
                    await WriteNullableAsync(importer, metadata.CorrelationId, NpgsqlDbType.Text, cancellationToken);
                    await WriteNullableAsync(importer, metadata.CausationId, NpgsqlDbType.Text, cancellationToken);
                    await WriteNullableAsync(importer, stream.IdempotencyKey, NpgsqlDbType.Text, cancellationToken);
                    await importer.WriteAsync(previous, NpgsqlDbType.Bytea, cancellationToken);
                    written++;
                }
                (exists ? updatedStreams : newStreams).Add((stream.StreamId, version, previous));
                if (stream.IdempotencyKey is { } key)
                    keys.Add((stream.StreamId, key, RequestHash(prepared[s]), current + 1, version));
            }
            await importer.CompleteAsync(cancellationToken);
        }

        await WriteStreamHeadsAsync(connection, me, newStreams, updatedStreams, recordedAt, cancellationToken);
        if (keys.Count > 0) await InsertIdempotencyKeysAsync(connection, keys, recordedAt, cancellationToken);

        long lastSequence;
        await using (var command = new NpgsqlCommand(_sql.LastSequenceOfTransaction, connection))
            lastSequence = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);

        StoreTelemetry.RecordAppend(written, System.Diagnostics.Stopwatch.GetElapsedTime(started), replayed: false);
        activity?.SetTag(StoreTelemetry.Tags.EventCount, written);
        return new BulkAppendResult(ordered.Length, written, replayed.Count, lastSequence);
    }

    private async Task<HashSet<string>> FindReplayedStreamsAsync(NpgsqlConnection connection, StreamAppend[] ordered,
        List<PreparedEvent>[] prepared, CancellationToken cancellationToken)
    {
        var replayed = new HashSet<string>(StringComparer.Ordinal);
        var withKeys = Enumerable.Range(0, ordered.Length).Where(i => ordered[i].IdempotencyKey is not null).ToArray();
        if (withKeys.Length == 0) return replayed;

        await using var command = new NpgsqlCommand(_sql.FindIdempotencyKeys, connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = withKeys.Select(i => ordered[i].StreamId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = withKeys.Select(i => ordered[i].IdempotencyKey!).ToArray() });
        var byStream = withKeys.ToDictionary(i => ordered[i].StreamId, StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var streamId = reader.GetString(0);
            var index = byStream[streamId];
            if (!reader.GetFieldValue<byte[]>(1).AsSpan().SequenceEqual(RequestHash(prepared[index])))
                throw new IdempotencyKeyConflictException(streamId, ordered[index].IdempotencyKey!);
            replayed.Add(streamId);
        }
        return replayed;
    }

    private async Task WriteStreamHeadsAsync(NpgsqlConnection connection, ulong transactionId,
        List<(string Id, long Version, byte[] Hash)> created, List<(string Id, long Version, byte[] Hash)> updated,
        DateTimeOffset recordedAt, CancellationToken cancellationToken)
    {
        if (created.Count > 0)
        {
            await using var importer = await connection.BeginBinaryImportAsync(_sql.CopyStreams, cancellationToken);
            foreach (var (id, version, hash) in created)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(id, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(version, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(hash, NpgsqlDbType.Bytea, cancellationToken);
                await importer.WriteAsync(transactionId, NpgsqlDbType.Xid8, cancellationToken);
                await importer.WriteAsync(recordedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await importer.WriteAsync(recordedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            }
            await importer.CompleteAsync(cancellationToken);
        }
        if (updated.Count > 0)
        {
            await using var command = new NpgsqlCommand(_sql.UpdateStreams, connection);
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = updated.Select(u => u.Id).ToArray() });
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = updated.Select(u => u.Version).ToArray() });
            command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = updated.Select(u => u.Hash).ToArray() });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = recordedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private async Task InsertIdempotencyKeysAsync(NpgsqlConnection connection,
        List<(string StreamId, string Key, byte[] RequestHash, long First, long Last)> keys, DateTimeOffset recordedAt,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(_sql.InsertIdempotencyKeys, connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys.Select(k => k.StreamId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys.Select(k => k.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = keys.Select(k => k.RequestHash).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = keys.Select(k => k.First).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = keys.Select(k => k.Last).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = recordedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static ValueTask WriteNullableAsync<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? new ValueTask(importer.WriteNullAsync(cancellationToken)) : new ValueTask(importer.WriteAsync(value, type, cancellationToken));

    private sealed class OrderingConflictException() : Exception("A stream was last written by a newer transaction.");
}
