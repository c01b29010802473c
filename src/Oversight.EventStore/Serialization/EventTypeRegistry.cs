using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Oversight.EventStore.Serialization;

/// <summary>
/// Maps CLR event types to stored names and schema versions, and stored payloads back to CLR objects.
/// Serialization goes through source-generated <see cref="JsonTypeInfo{T}"/>; upcasters turn a stored
/// older schema version into the current shape when it is read, so stored events are never rewritten.
/// </summary>
public sealed class EventTypeRegistry
{
    private readonly Dictionary<Type, EventType> _byClr = [];
    private readonly Dictionary<string, EventType> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Name, int FromVersion), Func<JsonNode, JsonNode>> _upcasters = [];
    private FrozenDictionary<Type, EventType>? _frozenByClr;
    private FrozenDictionary<string, EventType>? _frozenByName;

    /// <summary>Registers <typeparamref name="T"/> under an explicit, stable name (never the CLR name) at its current schema version.</summary>
    public EventTypeRegistry Register<T>(string name, JsonTypeInfo<T> typeInfo, int schemaVersion = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(typeInfo);
        ArgumentOutOfRangeException.ThrowIfLessThan(schemaVersion, 1);
        EnsureNotFrozen();
        if (_byName.ContainsKey(name)) throw new ArgumentException($"Event type name '{name}' is already registered.", nameof(name));
        if (_byClr.ContainsKey(typeof(T))) throw new ArgumentException($"CLR type {typeof(T)} is already registered.", nameof(typeInfo));
        var type = new EventType(name, schemaVersion, typeof(T), typeInfo);
        _byClr.Add(typeof(T), type);
        _byName.Add(name, type);
        return this;
    }

    /// <summary>Adds a step that turns a payload stored at <paramref name="fromVersion"/> into version <paramref name="fromVersion"/> + 1.</summary>
    public EventTypeRegistry Upcast(string name, int fromVersion, Func<JsonNode, JsonNode> upgrade)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(upgrade);
        ArgumentOutOfRangeException.ThrowIfLessThan(fromVersion, 1);
        EnsureNotFrozen();
        _upcasters.Add((name, fromVersion), upgrade);
        return this;
    }

    public IReadOnlyCollection<string> Names => _byName.Keys;

    /// <summary>The CLR type registered under <paramref name="name"/>, or null.</summary>
    public Type? ClrTypeOf(string name) => _byName.TryGetValue(name, out var type) ? type.ClrType : null;

    /// <summary>The stored name of a registered CLR type.</summary>
    public string NameOf(Type clrType) => Resolve(clrType).Name;

    internal EventType Resolve(Type clrType)
    {
        var map = _frozenByClr ??= _byClr.ToFrozenDictionary();
        _frozenByName ??= _byName.ToFrozenDictionary(StringComparer.Ordinal);
        return map.TryGetValue(clrType, out var type)
            ? type
            : throw new UnknownEventTypeException($"Event type {clrType} is not registered.");
    }

    /// <summary>Serializes a registered value to its stored form (used for messages as well as events).</summary>
    public SerializedPayload Serialize(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var type = Resolve(value.GetType());
        return new SerializedPayload(type.Name, type.SchemaVersion, JsonSerializer.SerializeToUtf8Bytes(value, type.TypeInfo));
    }

    /// <summary>Whether a payload stored as <paramref name="name"/> at <paramref name="schemaVersion"/> can be read (registered, with upcasters to the current version).</summary>
    public bool CanRead(string name, int schemaVersion)
    {
        var map = _frozenByName ??= _byName.ToFrozenDictionary(StringComparer.Ordinal);
        if (!map.TryGetValue(name, out var type) || schemaVersion > type.SchemaVersion || schemaVersion < 1) return false;
        for (var version = schemaVersion; version < type.SchemaVersion; version++)
            if (!_upcasters.ContainsKey((name, version))) return false;
        return true;
    }

    /// <summary>Reads a stored payload of <paramref name="name"/> at <paramref name="schemaVersion"/>, upcasting it to the current shape.</summary>
    public object Deserialize(string name, int schemaVersion, string json)
    {
        var map = _frozenByName ??= _byName.ToFrozenDictionary(StringComparer.Ordinal);
        if (!map.TryGetValue(name, out var type))
            throw new UnknownEventTypeException($"Stored event type '{name}' is not registered.");
        if (schemaVersion == type.SchemaVersion)
            return JsonSerializer.Deserialize(json, type.TypeInfo)
                ?? throw new EventStoreException($"Stored event of type '{name}' has a null payload.");
        if (schemaVersion > type.SchemaVersion)
            throw new UnknownEventTypeException($"Stored event '{name}' has schema version {schemaVersion}, newer than the registered {type.SchemaVersion}.");

        var node = JsonNode.Parse(json) ?? throw new EventStoreException($"Stored event of type '{name}' has a null payload.");
        for (var version = schemaVersion; version < type.SchemaVersion; version++)
        {
            if (!_upcasters.TryGetValue((name, version), out var upgrade))
                throw new UnknownEventTypeException($"No upcaster from schema version {version} of '{name}'.");
            node = upgrade(node);
        }
        return node.Deserialize(type.TypeInfo) ?? throw new EventStoreException($"Upcast of '{name}' produced null.");
    }

    // Registration happens at start-up; lookups afterwards are lock-free on frozen maps.
    private void EnsureNotFrozen()
    {
        if (_frozenByClr is not null || _frozenByName is not null)
            throw new InvalidOperationException("Event types must be registered before the store is used.");
    }
}

public sealed record SerializedPayload(string Name, int SchemaVersion, byte[] Utf8Json);

internal sealed record EventType(string Name, int SchemaVersion, Type ClrType, JsonTypeInfo TypeInfo);
