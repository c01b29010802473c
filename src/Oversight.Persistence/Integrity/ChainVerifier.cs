using System.Data;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Npgsql;
using Oversight.Persistence.Events;

namespace Oversight.Persistence.Integrity;

/// <summary>
/// Outcome of re-deriving a stream's chain from Marten's rows. When invalid, the first event whose stored hash
/// does not match (or the place where the chain breaks) is named.
/// </summary>
public sealed record ChainVerification(string StreamId, bool IsValid, long EventsChecked,
    long? FirstInvalidVersion = null, long? FirstInvalidSequence = null, Guid? FirstInvalidEventId = null, string? Reason = null)
{
    /// <summary>Events whose personal fields were erased on a legal request: they verify against the digests the chain committed to.</summary>
    public IReadOnlyList<ErasedInChain> Erased { get; init; } = [];
}

/// <summary>An event of a verified stream whose personal fields were erased by request <paramref name="RequestId"/>.</summary>
public sealed record ErasedInChain(long Version, Guid EventId, Guid RequestId, IReadOnlyList<string> Fields)
{
    internal long Sequence { get; init; }
}

/// <summary>
/// Re-derives chains from <c>mt_events</c>: an edited payload or metadata value, a removed, inserted or
/// reordered event, or a stream whose <c>mt_streams</c> version disagrees with its events is named. Reads
/// stream and events in one snapshot so a concurrent append is not mistaken for tampering.
/// </summary>
public sealed class ChainVerifier(NpgsqlDataSource dataSource, string schema)
{
    private string Events => $"\"{schema}\".mt_events";
    private string Streams => $"\"{schema}\".mt_streams";

    public async Task<ChainVerification> VerifyStreamAsync(string streamId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        return await VerifyAsync(connection, streamId, cancellationToken);
    }

    /// <summary>
    /// Every stream in id order. A stream whose <c>mt_streams</c> row is deleted takes its events with it (Marten's
    /// foreign key cascades), which no check inside the database can see: that needs an anchor outside it (ADR 8).
    /// </summary>
    public async IAsyncEnumerable<ChainVerification> VerifyAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var after = "";
        while (true)
        {
            var ids = new List<string>(500);
            await using (var command = dataSource.CreateCommand($"SELECT id FROM {Streams} WHERE id > $1 ORDER BY id LIMIT 500"))
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = after });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetString(0));
            }
            if (ids.Count == 0) break;
            foreach (var id in ids) yield return await VerifyStreamAsync(id, cancellationToken);
            after = ids[^1];
        }
    }

    private async Task<ChainVerification> VerifyAsync(NpgsqlConnection connection, string streamId, CancellationToken cancellationToken)
    {
        long? streamVersion = null;
        await using (var head = new NpgsqlCommand($"SELECT version FROM {Streams} WHERE id = $1", connection))
        {
            head.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
            if (await head.ExecuteScalarAsync(cancellationToken) is long v) streamVersion = v;
        }

        await using var command = new NpgsqlCommand(
            $"SELECT seq_id, version, id, type, data::text, timestamp, headers::text, user_name, correlation_id, causation_id " +
            $"FROM {Events} WHERE stream_id = $1 ORDER BY version", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);

        byte[] previous = [];
        long count = 0;
        var erased = new List<ErasedInChain>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var sequence = reader.GetInt64(0);
            var version = reader.GetInt64(1);
            var eventId = reader.GetGuid(2);
            var type = reader.GetString(3);
            var data = reader.GetString(4);
            var recordedAt = reader.GetFieldValue<DateTimeOffset>(5);
            var headers = reader.IsDBNull(6) ? null : JsonDocument.Parse(reader.GetString(6));
            string? Text(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
            var actorId = Text(7);
            var correlationId = Text(8);
            var causationId = Text(9);

            if (version != count + 1)
                return Invalid(count, count + 1, sequence, eventId, $"expected version {count + 1}, found {version}: an event was removed or renumbered");

            using (headers)
            {
                string? Header(string key) =>
                    headers is not null && headers.RootElement.ValueKind == JsonValueKind.Object &&
                    headers.RootElement.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                var stored = Header(EventHeaders.Chain);
                if (stored is null) return Invalid(count, version, sequence, eventId, "the event carries no chain hash");
                var occurredOn = Header(EventHeaders.OccurredOn) is { } date ? EventHeaderValues.ParseDate(date) : null;
                var (_, schemaVersion) = EventNames.Parse(type);
                PersonalState personal;
                byte[] canonical;
                try
                {
                    personal = headers is null ? PersonalState.None : PersonalFields.StateOf(headers.RootElement);
                    canonical = PersonalFields.ChainPayload(type, data, personal);
                }
                catch (InvalidDataException e)
                {
                    return Invalid(count, version, sequence, eventId, e.Message);
                }
                if (personal.ErasedBy is { } request) erased.Add(new ErasedInChain(version, eventId, request, [.. personal.Digests!.Keys]) { Sequence = sequence });
                var digest = EventHash.ContentDigest(streamId, eventId, type, schemaVersion, recordedAt, occurredOn, actorId,
                    Header(EventHeaders.ActorRole), correlationId, causationId, Header(EventHeaders.IdempotencyKey), canonical);
                var expected = EventHash.Chain(previous, version, digest);
                if (!string.Equals(Convert.ToHexStringLower(expected), stored, StringComparison.Ordinal))
                    return Invalid(count, version, sequence, eventId, "the stored hash does not match the event's content and its predecessor");
                previous = expected;
            }
            count++;
        }

        await reader.DisposeAsync();
        // An erasure is legitimate only if its request was recorded and names the event and its fields; otherwise someone who could
        // write to the database blanked a field and dressed it as an erasure.
        var records = new Dictionary<Guid, Domain.Common.PersonalDataErased?>();
        foreach (var e in erased)
        {
            if (!records.TryGetValue(e.RequestId, out var record))
                records[e.RequestId] = record = await ErasureRecordAsync(connection, e.RequestId, cancellationToken);
            if (!Names(record, e))
                return Invalid(count, e.Version, e.Sequence, e.EventId, $"the event is marked erased by request {e.RequestId}, which no recorded erasure confirms");
        }

        if (streamVersion is null && count == 0) return new ChainVerification(streamId, true, 0);
        if (streamVersion != count)
            return Invalid(count, count + 1, null, null,
                $"the stream is at version {streamVersion?.ToString(CultureInfo.InvariantCulture) ?? "(no stream row)"} but its events end at {count}: events were removed or added");
        return new ChainVerification(streamId, true, count) { Erased = erased };

        ChainVerification Invalid(long checkedCount, long version, long? sequence, Guid? eventId, string reason) =>
            new(streamId, false, checkedCount, version, sequence, eventId, reason);
    }

    private async Task<Domain.Common.PersonalDataErased?> ErasureRecordAsync(NpgsqlConnection connection, Guid requestId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT data::text FROM {Events} WHERE stream_id = $1 AND version = 1 AND type = 'PersonalDataErased.v1'", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Domain.Common.PersonalDataErased.StreamId(requestId) });
        return await command.ExecuteScalarAsync(cancellationToken) is string json
            ? JsonSerializer.Deserialize<Domain.Common.PersonalDataErased>(json, JsonSerializerOptions.Web)
            : null;
    }

    /// <summary>Whether the recorded erasure names this event with exactly these fields.</summary>
    private static bool Names(Domain.Common.PersonalDataErased? record, ErasedInChain erased) =>
        record?.RequestId == erased.RequestId && record.Events.Any(e => e.EventId == erased.EventId && e.Fields.Order(StringComparer.Ordinal)
            .SequenceEqual(erased.Fields.Order(StringComparer.Ordinal), StringComparer.Ordinal));
}
