using Oversight.EventStore.Serialization;

namespace Oversight.Runtime.Messaging;

/// <summary>A message to deliver later: return it from a handler (or append it with an event) to schedule it.</summary>
public sealed record Scheduled(object Message, DateTimeOffset DeliverAt);

/// <summary>Handles one message; what it returns is sent on (cascaded) in the same transaction.</summary>
public delegate Task<IEnumerable<object>> MessageHandler<in TMessage>(TMessage message, MessageContext context, CancellationToken cancellationToken);

internal sealed record HandlerRegistration(string Name, string MessageType, bool ForEvents,
    Func<object, MessageContext, CancellationToken, Task<IEnumerable<object>>> Invoke);

/// <summary>
/// Handlers by name. Message handlers receive messages of a registered message type; event subscribers
/// receive events appended through the <see cref="EventWriter"/>, enqueued in the same transaction.
/// Handler names are stable identifiers stored with each outbox row: rename only with care.
/// </summary>
public sealed class HandlerRegistry
{
    private readonly Dictionary<string, HandlerRegistration> _byName = new(StringComparer.Ordinal);
    private (ILookup<string, HandlerRegistration> Events, ILookup<string, HandlerRegistration> Messages)? _lookups;

    /// <summary>Types of messages (not events) that handlers exchange; payloads are stored like events (named, versioned).</summary>
    public EventTypeRegistry MessageTypes { get; } = new();

    public HandlerRegistry Handle<TMessage>(string name, MessageHandler<TMessage> handler) where TMessage : notnull =>
        Add(name, MessageTypeName<TMessage>(), forEvents: false, handler);

    /// <summary>Subscribes to an event type by its stored name (as registered in the store's registry).</summary>
    public HandlerRegistry Subscribe<TEvent>(string name, string eventType, MessageHandler<TEvent> handler) where TEvent : notnull =>
        Add(name, eventType, forEvents: true, handler);

    internal HandlerRegistration Get(string name) =>
        _byName.TryGetValue(name, out var handler) ? handler : throw new InvalidOperationException($"No handler named '{name}' is registered.");

    internal IReadOnlyList<HandlerRegistration> ForMessageType(string type) => Lookups().Messages[type].ToList();

    internal IReadOnlyList<HandlerRegistration> ForEventType(string type) => Lookups().Events[type].ToList();

    /// <summary>Whether any handler subscribes to events at all (when none does, appends skip the outbox entirely).</summary>
    internal bool HasSubscribers => Lookups().Events.Count > 0;

    // Built once, on first use (after the host registered everything), so appends and claims do not scan handlers.
    private (ILookup<string, HandlerRegistration> Events, ILookup<string, HandlerRegistration> Messages) Lookups() =>
        _lookups ??= (_byName.Values.Where(h => h.ForEvents).ToLookup(h => h.MessageType, StringComparer.Ordinal),
                      _byName.Values.Where(h => !h.ForEvents).ToLookup(h => h.MessageType, StringComparer.Ordinal));

    private HandlerRegistry Add<T>(string name, string type, bool forEvents, MessageHandler<T> handler) where T : notnull
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(handler);
        if (_lookups is not null) throw new InvalidOperationException("Handlers must be registered before the runtime starts.");
        if (!_byName.TryAdd(name, new HandlerRegistration(name, type, forEvents, (m, c, t) => handler((T)m, c, t))))
            throw new ArgumentException($"A handler named '{name}' is already registered.", nameof(name));
        return this;
    }

    private string MessageTypeName<T>()
    {
        var probe = MessageTypes.Names.FirstOrDefault(n => MessageTypes.ClrTypeOf(n) == typeof(T));
        return probe ?? throw new ArgumentException($"Register message type {typeof(T)} in MessageTypes before its handlers.");
    }
}
