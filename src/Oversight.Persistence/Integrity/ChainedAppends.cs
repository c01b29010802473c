using JasperFx.Events;
using Marten;
using Oversight.Persistence.Events;

namespace Oversight.Persistence.Integrity;

/// <summary>The one way events enter a stream: stamped into its chain, with the stream's expected version.</summary>
public static class ChainedAppends
{
    /// <summary>
    /// Queues <paramref name="events"/> on <paramref name="session"/> for stream <paramref name="streamId"/>, which must be at
    /// <paramref name="head"/> when the session commits (a new stream when <see cref="ChainHead.Empty"/>). Nothing is written
    /// before <c>SaveChangesAsync</c>; a concurrent writer makes the commit fail rather than fork the chain.
    /// </summary>
    public static StreamAction AppendChained(this IDocumentSession session, string streamId, ChainHead head,
        IReadOnlyList<PendingEvent> events, AppendMetadata metadata, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(metadata);
        if (events.Count == 0) throw new ArgumentException("At least one event is required.", nameof(events));
        // Marten fills what an event leaves empty from the session (Wolverine sets correlation and causation there): hash what it will store.
        metadata = metadata with
        {
            ActorId = metadata.ActorId ?? session.LastModifiedBy,
            CorrelationId = metadata.CorrelationId ?? session.CorrelationId,
            CausationId = metadata.CausationId ?? session.CausationId,
        };
        var data = events.Select(e => e.Data).ToArray();
        // Marten's expected version is the stream's version once these events are in.
        var action = head.Version == 0
            ? session.Events.StartStream(streamId, data)
            : session.Events.Append(streamId, head.Version + events.Count, data);
        EventChain.Stamp(action.Events, streamId, head.Version, head.Hash, events, metadata, recordedAt,
            session.DocumentStore.Options.Serializer());
        return action;
    }

    /// <summary>A new stream for <see cref="DocumentStore.BulkInsertEventsAsync(IReadOnlyList{StreamAction},int,CancellationToken)"/>, chained like any append.</summary>
    public static StreamAction StartChained(DocumentStore store, string streamId, IReadOnlyList<PendingEvent> events, AppendMetadata metadata,
        DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(events);
        var action = StreamAction.Start((IEventRegistry)store.Options.Events, streamId, [.. events.Select(e => e.Data)]);
        EventChain.Stamp(action.Events, streamId, 0, [], events, metadata, recordedAt, store.Options.Serializer());
        return action;
    }

    /// <summary>The head after the last of <paramref name="events"/> (as read from the store, in version order).</summary>
    public static ChainHead HeadOf(IReadOnlyList<IEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0) return ChainHead.Empty;
        var last = events[^1];
        return new ChainHead(last.Version, HashOf(last));
    }

    /// <summary>The chain hash an event carries (empty if it carries none).</summary>
    public static byte[] HashOf(IEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.GetHeader(EventHeaders.Chain) is { } hex ? Convert.FromHexString(hex.ToString()!) : [];
    }
}

/// <summary>Where a stream's chain ends: its version and the hash of its last event (empty for a stream not yet written).</summary>
public sealed record ChainHead(long Version, byte[] Hash)
{
    public static ChainHead Empty { get; } = new(0, []);
}
