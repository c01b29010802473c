using System.Diagnostics;
using JasperFx.Events;
using Marten;
using Oversight.Persistence.Events;

namespace Oversight.Persistence.Integrity;

/// <summary>
/// Stamps events that are about to be appended to one stream with their metadata and their link in the
/// stream's SHA-256 chain (ADR 3, on Marten since ADR 8). The digest covers what Marten will store: the id,
/// stored type name, recording instant, business date, actor, correlation, causation, idempotency key and
/// the payload as Marten's serializer writes it, in canonical JSON (personal fields as keyed digests, ADR 13). The version each event will get is
/// known because every append names its expected version, so a concurrent writer fails instead of forking
/// the chain.
/// </summary>
public static class EventChain
{
    /// <summary>
    /// Stamps <paramref name="events"/> (in order, built from <paramref name="pending"/>) as versions <paramref name="previousVersion"/>+1… following the
    /// event whose chain hash is <paramref name="previousHash"/> (empty for a new stream). Returns the last hash.
    /// </summary>
    public static byte[] Stamp(IReadOnlyList<IEvent> events, string streamId, long previousVersion, ReadOnlySpan<byte> previousHash,
        IReadOnlyList<PendingEvent> pending, AppendMetadata metadata, DateTimeOffset recordedAt, ISerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(serializer);
        if (pending.Count != events.Count) throw new ArgumentException("One pending event per event.", nameof(pending));

        // PostgreSQL keeps microseconds: hash the instant it will give back.
        var instant = EventHash.TruncateToMicroseconds(recordedAt);
        var traceParent = metadata.TraceParent ?? Activity.Current?.Id;
        var previous = previousHash.ToArray();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var occurredOn = pending[i].OccurredOn;
            e.Id = pending[i].EventId ?? Guid.CreateVersion7(instant);
            e.Timestamp = instant;
            e.UserName = metadata.ActorId!;
            e.CorrelationId = metadata.CorrelationId!;
            e.CausationId = metadata.CausationId!;
            if (occurredOn is { } date) e.SetHeader(EventHeaders.OccurredOn, date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            if (metadata.ActorRole is { } role) e.SetHeader(EventHeaders.ActorRole, role);
            if (metadata.IdempotencyKey is { } key) e.SetHeader(EventHeaders.IdempotencyKey, key);
            if (traceParent is not null) e.SetHeader(EventHeaders.TraceParent, traceParent);

            // Personal fields are committed to as keyed digests (ADR 13): the key goes in the headers, outside the chain.
            var personalKey = PersonalFields.NewKey(e.EventTypeName);
            if (personalKey is not null) e.SetHeader(EventHeaders.PersonalKey, Convert.ToHexStringLower(personalKey));
            var canonical = PersonalFields.ChainPayload(e.EventTypeName, serializer.ToJson(e.Data), personalKey is null ? PersonalState.None : new PersonalState(personalKey, null, null));
            var (_, schemaVersion) = EventNames.Parse(e.EventTypeName);
            var digest = EventHash.ContentDigest(streamId, e.Id, e.EventTypeName, schemaVersion, instant, occurredOn,
                metadata.ActorId, metadata.ActorRole, metadata.CorrelationId, metadata.CausationId, metadata.IdempotencyKey, canonical);
            previous = EventHash.Chain(previous, previousVersion + i + 1, digest);
            e.SetHeader(EventHeaders.Chain, Convert.ToHexStringLower(previous));
        }
        return previous;
    }
}
