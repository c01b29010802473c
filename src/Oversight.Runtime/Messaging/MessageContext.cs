using Npgsql;
using Oversight.EventStore;

namespace Oversight.Runtime.Messaging;

/// <summary>
/// What a handler may use. Everything it does through <see cref="Connection"/> and <see cref="AppendAsync"/>
/// commits atomically with the message being marked handled, so a redelivered message has no second effect.
/// </summary>
public sealed class MessageContext
{
    private readonly EventWriter _writer;

    internal MessageContext(EventWriter writer, NpgsqlConnection connection, Guid messageId, string handler, int attempt,
        DateTimeOffset now, IReadOnlyDictionary<string, string?> headers, string? correlationId)
    {
        _writer = writer;
        Connection = connection;
        MessageId = messageId;
        Handler = handler;
        Attempt = attempt;
        Now = now;
        Headers = headers;
        CorrelationId = correlationId;
    }

    public Guid MessageId { get; }
    public string Handler { get; }

    /// <summary>1 for the first delivery.</summary>
    public int Attempt { get; }

    /// <summary>The injected clock's time when the message was claimed.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>For events: streamId, version, sequence, eventId, occurredOn.</summary>
    public IReadOnlyDictionary<string, string?> Headers { get; }

    public string? CorrelationId { get; }

    /// <summary>The connection of the handling transaction.</summary>
    public NpgsqlConnection Connection { get; }

    /// <summary>The store (its schema and reads); use <see cref="Connection"/> for anything that must see or join the handling transaction.</summary>
    public EventStore.EventStore Store => _writer.Store;

    /// <summary>Reads a stream in the handling transaction (to fold the state a handler decides on).</summary>
    public Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, CancellationToken cancellationToken = default) =>
        _writer.Store.ReadStreamAsync(Connection, streamId, 1, long.MaxValue, cancellationToken);

    /// <summary>Appends events in the handling transaction (inline projections and subscribers included).</summary>
    public Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events,
        AppendOptions? options = null, CancellationToken cancellationToken = default) =>
        _writer.AppendInTransactionAsync(Connection, streamId, expected, events,
            (options ?? AppendOptions.None) with { CausationId = options?.CausationId ?? MessageId.ToString(), CorrelationId = options?.CorrelationId ?? CorrelationId },
            cancellationToken);
}
