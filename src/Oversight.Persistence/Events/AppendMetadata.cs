namespace Oversight.Persistence.Events;

/// <summary>An event to append with the business date on which it took legal effect, and its id when the caller fixes it (a seed, an import).</summary>
public sealed record PendingEvent(object Data, DateOnly? OccurredOn, Guid? EventId = null);

/// <summary>Who appends, on whose behalf and why: stored in Marten's metadata columns and headers, and covered by the chain.</summary>
public sealed record AppendMetadata
{
    public static AppendMetadata None { get; } = new();

    /// <summary>Stored in Marten's <c>user_name</c> column.</summary>
    public string? ActorId { get; init; }
    public string? ActorRole { get; init; }
    public string? CorrelationId { get; init; }
    public string? CausationId { get; init; }
    public string? IdempotencyKey { get; init; }

    /// <summary>W3C traceparent stored with the events (not hashed: it is telemetry, not evidence); defaults to the current activity's.</summary>
    public string? TraceParent { get; init; }
}

/// <summary>The keys of our values in Marten's per-event <c>headers</c>.</summary>
public static class EventHeaders
{
    public const string OccurredOn = "occurredOn";
    public const string ActorRole = "actorRole";
    public const string IdempotencyKey = "idempotencyKey";
    public const string TraceParent = "traceparent";

    /// <summary>The random key of the event's personal-field digests (hex); removed when they are erased (ADR 13).</summary>
    public const string PersonalKey = "personalKey";

    /// <summary>After an erasure: <c>{"request": id, "digests": {field: hex}}</c>, the digests the chain committed to (ADR 13).</summary>
    public const string Erasure = "erasure";

    /// <summary>The event's chained SHA-256, lower-case hex.</summary>
    public const string Chain = "chain";
}
