namespace Oversight.EventStore;

public class EventStoreException : Exception
{
    public EventStoreException(string message) : base(message) { }
    public EventStoreException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The stream was not at the expected version; nothing was written.</summary>
public sealed class WrongExpectedVersionException(string streamId, ExpectedVersion expected, long actualVersion, Exception? inner = null)
    : EventStoreException($"Stream '{streamId}' is at version {actualVersion}, expected {expected}.", inner ?? new InvalidOperationException())
{
    public string StreamId { get; } = streamId;
    public ExpectedVersion Expected { get; } = expected;
    public long ActualVersion { get; } = actualVersion;
}

/// <summary>An idempotency key was reused on a stream with a different payload; nothing was written.</summary>
public sealed class IdempotencyKeyConflictException(string streamId, string key, Exception? inner = null)
    : EventStoreException($"Idempotency key '{key}' was already used on stream '{streamId}' with a different payload.", inner ?? new InvalidOperationException())
{
    public string StreamId { get; } = streamId;
    public string Key { get; } = key;
}

/// <summary>An event type or schema version the registry does not know.</summary>
public sealed class UnknownEventTypeException(string message) : EventStoreException(message);

/// <summary>
/// A concurrent writer (a bulk import) wrote the same stream while this append ran inside the caller's
/// transaction, which PostgreSQL has now aborted. Nothing was written: retry the whole transaction.
/// </summary>
public sealed class ConcurrentAppendException(string streamId, Exception inner)
    : EventStoreException($"Stream '{streamId}' was written concurrently; the transaction was rolled back and can be retried.", inner)
{
    public string StreamId { get; } = streamId;
}

/// <summary>The payload of a stored event whose type (or schema version) this process does not know; seen only by the global reader.</summary>
public sealed record UnknownEvent(string EventType, int SchemaVersion, string Json);
