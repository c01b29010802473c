using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;
using Oversight.Persistence.Integrity;
using Oversight.EventStore.Telemetry;

namespace Oversight.EventStore;

public sealed partial class EventStore
{
    /// <summary>One stream's events, serialized and digested, ready to be chained and copied.</summary>
    private sealed record PreparedStream(StreamAppend Source, List<PreparedEvent> Events, byte[][] Digests, byte[]? RequestHash);

    /// <summary>
    /// Appends many streams' events in one transaction through binary COPY (imports). Same guarantees as
    /// <see cref="AppendAsync(string, ExpectedVersion, IReadOnlyList{EventData}, AppendOptions?, CancellationToken)"/>:
    /// every stream is locked as single appends lock it, expected versions are checked before any event is
    /// written, hashes chain onto each stream's head, a stream whose idempotency key was already used with
    /// the same payload is skipped, and either everything is written or nothing. One call holds one lock per
    /// stream until it commits: keep calls to a few thousand streams (PostgreSQL's lock table is finite).
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
        for (var i = 0; i < ordered.Length; i++)
        {
            var stream = ordered[i];
            ValidateStreamId(stream.StreamId);
            ArgumentNullException.ThrowIfNull(stream.Events, nameof(streams));
            if (stream.Events.Count == 0) throw new ArgumentException($"Stream '{stream.StreamId}' has no events.", nameof(streams));
            if (stream.Events.Any(e => e?.Data is null)) throw new ArgumentNullException(nameof(streams), $"Stream '{stream.StreamId}' has a null event.");
            if (i > 0 && stream.StreamId == ordered[i - 1].StreamId)
                throw new ArgumentException($"Stream '{stream.StreamId}' appears twice in one bulk append.", nameof(streams));
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await BulkAppendOnceAsync(ordered, metadata, cancellationToken);
            }
            catch (Exception e) when ((e is OrderingConflictException || (e is PostgresException pe && IsRetryableRace(pe)))
                                      && attempt < _options.OrderingConflictRetries)
            {
                // Another writer wrote one of these streams meanwhile (a single append with a newer transaction
                // id, or the same new stream): start again, and the version checks decide on fresh heads.
            }

        }
    }

    private async Task<BulkAppendResult> BulkAppendOnceAsync(StreamAppend[] ordered, AppendOptions metadata, CancellationToken cancellationToken)
    {
        using var activity = StoreTelemetry.StartActivity("eventstore.bulk_append");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var recordedAt = EventHash.TruncateToMicroseconds(_clock.GetUtcNow());

        // Streams with idempotency keys are prepared first: their request hashes decide which are replays.
        var keyed = new Dictionary<string, PreparedStream>(StringComparer.Ordinal);
        foreach (var stream in ordered.Where(s => s.IdempotencyKey is not null))
            keyed[stream.StreamId] = PrepareStream(stream, recordedAt, metadata);

        // Serializing, canonicalizing and hashing run on another thread while this one feeds COPY.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateBounded<PreparedStream>(new BoundedChannelOptions(256) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(async () =>
        {
            try
            {
                foreach (var stream in ordered)
                    await channel.Writer.WriteAsync(keyed.GetValueOrDefault(stream.StreamId) ?? PrepareStream(stream, recordedAt, metadata), stop.Token);
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
        }, CancellationToken.None);

        try
        {
            return await WriteBulkAsync(ordered, keyed, channel.Reader, recordedAt, metadata, activity, started, cancellationToken);
        }
        catch (ChannelClosedException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
        finally
        {
            await stop.CancelAsync();
            await producer;
        }
    }

    private async Task<BulkAppendResult> WriteBulkAsync(StreamAppend[] ordered, Dictionary<string, PreparedStream> keyed,
        ChannelReader<PreparedStream> prepared, DateTimeOffset recordedAt, AppendOptions metadata,
        System.Diagnostics.Activity? activity, long started, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Lock every stream the way single appends do, then read heads and learn our transaction id: it is
        // assigned after the locks, so it is newer than every earlier writer of these streams.
        var ids = ordered.Select(s => s.StreamId).ToArray();
        await using (var command = new NpgsqlCommand(_sql.LockStreams, connection))
        {
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        var heads = new Dictionary<string, (long Version, byte[] Hash, ulong Tx)>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(_sql.ReadHeads, connection))
        {
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                heads[reader.GetString(0)] = (reader.GetInt64(1), reader.GetFieldValue<byte[]>(2), reader.GetFieldValue<ulong>(3));
        }
        ulong me;
        await using (var command = new NpgsqlCommand("SELECT pg_current_xact_id()", connection))
            me = (ulong)(await command.ExecuteScalarAsync(cancellationToken))!;

        var (replayed, replayedLastSequence) = await FindReplayedStreamsAsync(connection, keyed, cancellationToken);
        if (heads.Any(head => head.Value.Tx > me && !replayed.Contains(head.Key))) throw new OrderingConflictException();

        foreach (var stream in ordered)
        {
            var current = heads.TryGetValue(stream.StreamId, out var head) ? head.Version : 0;
            var expected = stream.Expected.Value;
            if (!replayed.Contains(stream.StreamId) && ((expected == -1 && current > 0) || (expected >= 0 && expected != current)))
                throw new WrongExpectedVersionException(stream.StreamId, stream.Expected, current);
        }

        var traceParent = metadata.EffectiveTraceParent;
        var newStreams = new List<(string Id, long Version, byte[] Hash)>();
        var updatedStreams = new List<(string Id, long Version, byte[] Hash)>();
        var keys = new List<(string StreamId, string Key, byte[] RequestHash, long First, long Last)>();
        var written = 0;

        await using (var importer = await connection.BeginBinaryImportAsync(_sql.CopyEvents, cancellationToken))
        {
            for (var s = 0; s < ordered.Length; s++)
            {
                var stream = await prepared.ReadAsync(cancellationToken);
                var id = stream.Source.StreamId;
                if (replayed.Contains(id)) continue;
                var exists = heads.TryGetValue(id, out var head);
                var version = exists ? head.Version : 0;
                var first = version + 1;
                var previous = exists ? head.Hash : [];
                for (var i = 0; i < stream.Events.Count; i++)
                {
                    var e = stream.Events[i];
                    version++;
                    previous = EventHash.Chain(previous, version, stream.Digests[i]);
                    await importer.StartRowAsync(cancellationToken);
                    await importer.WriteAsync(id, NpgsqlDbType.Text, cancellationToken);
                    await importer.WriteAsync(version, NpgsqlDbType.Bigint, cancellationToken);
                    await importer.WriteAsync(e.EventId, NpgsqlDbType.Uuid, cancellationToken);
                    await importer.WriteAsync(e.Type, NpgsqlDbType.Text, cancellationToken);
                    await importer.WriteAsync(e.SchemaVersion, NpgsqlDbType.Integer, cancellationToken);
                    await importer.WriteAsync(e.Canonical, NpgsqlDbType.Jsonb, cancellationToken);
                    await importer.WriteAsync(recordedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                    await WriteNullableAsync(importer, e.OccurredOn, NpgsqlDbType.Date, cancellationToken);
                    await WriteNullableAsync(importer, metadata.ActorId, NpgsqlDbType.Text, cancellationToken);
                    await WriteNullableAsync(importer, metadata.ActorRole, NpgsqlDbType.Text, cancellationToken);
                    await WriteNullableAsync(importer, metadata.CorrelationId, NpgsqlDbType.Text, cancellationToken);
                    await WriteNullableAsync(importer, metadata.CausationId, NpgsqlDbType.Text, cancellationToken);
                    await WriteNullableAsync(importer, stream.Source.IdempotencyKey, NpgsqlDbType.Text, cancellationToken);
                    await importer.WriteAsync(previous, NpgsqlDbType.Bytea, cancellationToken);
                    await WriteNullableAsync(importer, traceParent, NpgsqlDbType.Text, cancellationToken);
                    written++;
                }
                (exists ? updatedStreams : newStreams).Add((id, version, previous));
                if (stream.Source.IdempotencyKey is { } key)
                    keys.Add((id, key, stream.RequestHash!, first, version));
            }
            await importer.CompleteAsync(cancellationToken);
        }

        await WriteStreamHeadsAsync(connection, me, newStreams, updatedStreams, recordedAt, cancellationToken);
        if (keys.Count > 0) await InsertIdempotencyKeysAsync(connection, keys, recordedAt, cancellationToken);

        var lastSequence = replayedLastSequence;
        if (written > 0)
        {
            await using var command = new NpgsqlCommand(_sql.LastSequenceOfTransaction, connection);
            lastSequence = Math.Max(lastSequence, (long)(await command.ExecuteScalarAsync(cancellationToken))!);
        }
        await transaction.CommitAsync(cancellationToken);

        StoreTelemetry.RecordAppend(written, System.Diagnostics.Stopwatch.GetElapsedTime(started), replayed: false);
        activity?.SetTag(StoreTelemetry.Tags.EventCount, written);
        return new BulkAppendResult(ordered.Length, written, replayed.Count, lastSequence);
    }

    private PreparedStream PrepareStream(StreamAppend stream, DateTimeOffset recordedAt, AppendOptions metadata)
    {
        var events = PrepareAll(stream.StreamId, stream.Events);
        var digests = new byte[events.Count][];
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            digests[i] = EventHash.ContentDigest(stream.StreamId, e.EventId, e.Type, e.SchemaVersion, recordedAt, e.OccurredOn,
                metadata.ActorId, metadata.ActorRole, metadata.CorrelationId, metadata.CausationId, stream.IdempotencyKey, e.Canonical);
        }
        return new PreparedStream(stream, events, digests, stream.IdempotencyKey is null ? null : RequestHash(events, metadata));
    }

    private async Task<(HashSet<string> Streams, long LastSequence)> FindReplayedStreamsAsync(NpgsqlConnection connection,
        Dictionary<string, PreparedStream> keyed, CancellationToken cancellationToken)
    {
        var replayed = new HashSet<string>(StringComparer.Ordinal);
        long lastSequence = 0;
        if (keyed.Count == 0) return (replayed, lastSequence);

        await using var command = new NpgsqlCommand(_sql.FindIdempotencyKeys, connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keyed.Keys.ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keyed.Values.Select(p => p.Source.IdempotencyKey!).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var stream = keyed[reader.GetString(0)];
            if (!reader.GetFieldValue<byte[]>(1).AsSpan().SequenceEqual(stream.RequestHash))
                throw new IdempotencyKeyConflictException(stream.Source.StreamId, stream.Source.IdempotencyKey!);
            replayed.Add(stream.Source.StreamId);
            lastSequence = Math.Max(lastSequence, reader.GetInt64(4));
        }
        return (replayed, lastSequence);
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
