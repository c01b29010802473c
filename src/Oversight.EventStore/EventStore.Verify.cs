using System.Data;
using System.Runtime.CompilerServices;
using Npgsql;
using Oversight.Persistence.Integrity;
using Oversight.EventStore.Telemetry;

namespace Oversight.EventStore;

/// <summary>
/// Outcome of re-deriving a stream's hash chain from its stored rows. When invalid, the first event whose
/// stored hash does not match (or the place where the chain breaks) is named.
/// </summary>
public sealed record VerificationResult(string StreamId, bool IsValid, long EventsChecked,
    long? FirstInvalidVersion = null, long? FirstInvalidSequence = null, Guid? FirstInvalidEventId = null, string? Reason = null);

public sealed partial class EventStore
{
    public async Task<VerificationResult> VerifyStreamAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ValidateStreamId(streamId);
        using var activity = StoreTelemetry.StartActivity("eventstore.verify", streamId);
        // Head and events from one snapshot, so an append in between is not mistaken for tampering.
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        StreamHead? head = null;
        await using (var headCommand = new NpgsqlCommand(_sql.StreamHead, connection))
        {
            headCommand.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
            await using var headReader = await headCommand.ExecuteReaderAsync(cancellationToken);
            if (await headReader.ReadAsync(cancellationToken))
                head = new StreamHead(streamId, headReader.GetInt64(0), headReader.GetFieldValue<byte[]>(1));
        }

        await using var command = new NpgsqlCommand(
            $"SELECT seq, version, event_id, event_type, schema_version, data::text, recorded_at, occurred_on, actor_id, actor_role, " +
            $"correlation_id, causation_id, idempotency_key, hash FROM \"{_sql.Schema}\".events WHERE stream_id = $1 ORDER BY version", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);

        byte[] previous = [];
        long checkedCount = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var sequence = reader.GetInt64(0);
            var version = reader.GetInt64(1);
            var eventId = reader.GetGuid(2);
            var type = reader.GetString(3);
            var schemaVersion = reader.GetInt32(4);
            var json = reader.GetString(5);
            var recordedAt = reader.GetFieldValue<DateTimeOffset>(6);
            DateOnly? occurredOn = reader.IsDBNull(7) ? null : reader.GetFieldValue<DateOnly>(7);
            string? Text(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
            var actorId = Text(8);
            var actorRole = Text(9);
            var correlationId = Text(10);
            var causationId = Text(11);
            var idempotencyKey = Text(12);
            var stored = reader.GetFieldValue<byte[]>(13);

            if (version != checkedCount + 1)
                return Invalid(streamId, checkedCount, version, sequence, eventId, $"expected version {checkedCount + 1}, found {version}");

            var canonical = CanonicalJson.Canonicalize(System.Text.Encoding.UTF8.GetBytes(json));
            var digest = EventHash.ContentDigest(streamId, eventId, type, schemaVersion, recordedAt, occurredOn,
                actorId, actorRole, correlationId, causationId, idempotencyKey, canonical);
            var expected = EventHash.Chain(previous, version, digest);
            if (!expected.AsSpan().SequenceEqual(stored))
                return Invalid(streamId, checkedCount, version, sequence, eventId, "stored hash does not match the event's content and its predecessor");
            previous = stored;
            checkedCount++;
        }

        if (head is null && checkedCount == 0)
            return new VerificationResult(streamId, true, 0);
        if (head is null || head.Version != checkedCount || !head.LastHash.AsSpan().SequenceEqual(previous))
            return Invalid(streamId, checkedCount, checkedCount + 1, null, null,
                $"stream head (version {head?.Version ?? 0}) does not match its last event (version {checkedCount}): events were removed or added");
        return new VerificationResult(streamId, true, checkedCount);

        VerificationResult Invalid(string id, long count, long version, long? sequence, Guid? eventId, string reason)
        {
            StoreTelemetry.RecordVerificationFailure();
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, reason);
            return new VerificationResult(id, false, count, version, sequence, eventId, reason);
        }
    }

    /// <summary>
    /// Verifies every stream, in stream id order, one at a time; then reports events whose stream has no
    /// head row (a deleted head would otherwise hide a whole stream from verification).
    /// </summary>
    public async IAsyncEnumerable<VerificationResult> VerifyAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var result in VerifyStreamsAsync(cancellationToken)) yield return result;

        await using var orphans = _dataSource.CreateCommand(
            $"SELECT e.stream_id, count(*), min(e.seq) FROM \"{_sql.Schema}\".events e " +
            $"WHERE NOT EXISTS (SELECT 1 FROM \"{_sql.Schema}\".streams s WHERE s.id = e.stream_id) GROUP BY e.stream_id ORDER BY e.stream_id");
        await using var reader = await orphans.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            StoreTelemetry.RecordVerificationFailure();
            yield return new VerificationResult(reader.GetString(0), false, 0, FirstInvalidVersion: 1, FirstInvalidSequence: reader.GetInt64(2),
                Reason: $"{reader.GetInt64(1)} event(s) exist for a stream that has no head: its head row was removed");
        }
    }

    private async IAsyncEnumerable<VerificationResult> VerifyStreamsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = "";
        while (true)
        {
            var ids = new List<string>(500);
            await using (var command = _dataSource.CreateCommand(_sql.StreamIds))
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = after });
                command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = 500 });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetString(0));
            }
            if (ids.Count == 0) yield break;
            foreach (var id in ids) yield return await VerifyStreamAsync(id, cancellationToken);
            after = ids[^1];
        }
    }
}
