using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using Oversight.Persistence.Integrity;
using Oversight.EventStore.Migrations;
using Oversight.EventStore.Serialization;

namespace Oversight.EventStore;

/// <summary>
/// Streams of events in PostgreSQL. Thread-safe; register one per schema as a singleton.
/// Split by concern: Append, Read, ReadAll, Verify, Bulk.
/// </summary>
public sealed partial class EventStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly EventTypeRegistry _types;
    private readonly TimeProvider _clock;
    private readonly EventStoreOptions _options;
    private readonly Sql _sql;

    public EventStore(NpgsqlDataSource dataSource, EventTypeRegistry types, EventStoreOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        _dataSource = dataSource;
        _types = types;
        _clock = clock;
        _options = options;
        _sql = new Sql(options.ValidatedSchema());
    }

    public string Schema => _sql.Schema;
    public NpgsqlDataSource DataSource => _dataSource;
    public EventTypeRegistry Types => _types;

    /// <summary>Creates or upgrades the store's schema. Safe to call from several processes at once.</summary>
    public Task MigrateAsync(CancellationToken cancellationToken = default) =>
        SchemaMigrator.MigrateAsync(_dataSource, _sql.Schema, "eventstore",
            SchemaMigrator.EmbeddedScripts(typeof(EventStore).Assembly, "Migrations.Scripts"), cancellationToken);

    /// <summary>
    /// An event serialized once, to canonical UTF-8 JSON: it is both what the hash covers and what is sent
    /// to the jsonb column (jsonb will reorder it, and canonicalizing the stored text gives these bytes back).
    /// </summary>
    private sealed record PreparedEvent(Guid EventId, string Type, int SchemaVersion, byte[] Canonical, DateOnly? OccurredOn);

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_serializeBuffer;
    [ThreadStatic] private static Utf8JsonWriter? t_serializeWriter;

    private PreparedEvent Prepare(EventData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(data.Data, nameof(EventData.Data));
        var type = _types.Resolve(data.Data.GetType());
        var buffer = t_serializeBuffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_serializeWriter ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        JsonSerializer.Serialize(writer, data.Data, type.TypeInfo);
        writer.Flush();
        var eventId = data.EventId ?? Guid.CreateVersion7(_clock.GetUtcNow());
        return new PreparedEvent(eventId, type.Name, type.SchemaVersion, CanonicalJson.Canonicalize(buffer.WrittenSpan), data.OccurredOn);
    }

    private List<PreparedEvent> PrepareAll(string streamId, IReadOnlyList<EventData> events)
    {
        ValidateStreamId(streamId);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0) throw new ArgumentException("At least one event is required.", nameof(events));
        var prepared = new List<PreparedEvent>(events.Count);
        foreach (var e in events) prepared.Add(Prepare(e));
        return prepared;
    }

    /// <summary>
    /// Fingerprint of what an append asks for and who asks, independent of generated ids, clock and trace,
    /// so a retry with the same idempotency key can be told apart from a different request reusing the key.
    /// </summary>
    private static byte[] RequestHash(IReadOnlyList<PreparedEvent> events, AppendOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, CanonicalJson.Options))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(options.ActorId);
            writer.WriteStringValue(options.ActorRole);
            foreach (var e in events)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(e.Type);
                writer.WriteNumberValue(e.SchemaVersion);
                if (e.OccurredOn is { } d) writer.WriteStringValue(d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                else writer.WriteNullValue();
                writer.WriteRawValue(e.Canonical, skipInputValidation: true);
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
        }
        return SHA256.HashData(buffer.WrittenSpan);
    }

    private static void ValidateStreamId(string streamId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamId);
        if (streamId.Length > 200) throw new ArgumentException("A stream id is at most 200 characters.", nameof(streamId));
    }
}
