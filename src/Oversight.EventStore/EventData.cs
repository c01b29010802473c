namespace Oversight.EventStore;

/// <summary>An event to append: its payload (a registered type), the business date it took effect, and optionally its id.</summary>
public sealed record EventData(object Data, DateOnly? OccurredOn = null, Guid? EventId = null);

/// <summary>Metadata shared by the events of one append.</summary>
public sealed record AppendOptions
{
    public static AppendOptions None { get; } = new();

    /// <summary>Retrying an append with the same key on the same stream writes nothing and returns the first result.</summary>
    public string? IdempotencyKey { get; init; }
    public string? ActorId { get; init; }
    public string? ActorRole { get; init; }
    public string? CorrelationId { get; init; }
    public string? CausationId { get; init; }

    /// <summary>W3C traceparent to store with the events; defaults to the current activity's.</summary>
    public string? TraceParent { get; init; }

    internal string? EffectiveTraceParent => TraceParent ?? System.Diagnostics.Activity.Current?.Id;
}

/// <summary>The outcome of an append. <see cref="Replayed"/> is true when an idempotency key matched an earlier append.</summary>
public sealed record AppendResult(string StreamId, long FirstVersion, long LastVersion, long LastSequence, bool Replayed);

/// <summary>One stream's part of a bulk append.</summary>
public sealed record StreamAppend(string StreamId, ExpectedVersion Expected, IReadOnlyList<EventData> Events, string? IdempotencyKey = null);

public sealed record BulkAppendResult(int Streams, int Events, int ReplayedStreams, long LastSequence);
