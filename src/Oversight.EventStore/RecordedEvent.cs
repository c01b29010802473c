namespace Oversight.EventStore;

/// <summary>An event as stored: payload in its current schema shape, position, and metadata.</summary>
public sealed record RecordedEvent(
    long Sequence,
    ulong TransactionId,
    string StreamId,
    long Version,
    Guid EventId,
    string EventType,
    int SchemaVersion,
    object Data,
    DateTimeOffset RecordedAt,
    DateOnly? OccurredOn,
    string? ActorId,
    string? ActorRole,
    string? CorrelationId,
    string? CausationId,
    string? IdempotencyKey,
    byte[] Hash,
    string? TraceParent = null)
{
    public GlobalPosition Position => new(TransactionId, Sequence);
}
