using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using Oversight.EventStore;

namespace Oversight.Runtime.Messaging;

/// <summary>
/// Sends messages to their handlers through the durable outbox. A message is stored (in the caller's
/// transaction when one is given) and delivered by a worker on any node, at least once, to each handler of
/// its type; handlers are made effectively-once by the handled-message log (see <see cref="MessageWorkers"/>).
/// </summary>
public sealed class MessageBus
{
    private readonly HandlerRegistry _handlers;
    private readonly WakeSignal _wake;
    private readonly TimeProvider _clock;
    private readonly NpgsqlDataSource _dataSource;
    private readonly OutboxSql _sql;

    public MessageBus(EventStore.EventStore store, HandlerRegistry handlers, WakeSignal wake, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(store);
        _handlers = handlers;
        _wake = wake;
        _clock = clock;
        _dataSource = store.DataSource;
        _sql = new OutboxSql(store.Schema);
    }

    /// <summary>Stores the messages (plain or <see cref="Scheduled"/>) in their own transaction and wakes the workers.</summary>
    public async Task SendAsync(IReadOnlyList<object> messages, string? correlationId = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await SendAsync(connection, messages, correlationId, cancellationToken);
        _wake.Signal();
    }

    /// <summary>Stores the messages in the caller's transaction on <paramref name="connection"/>: they are sent if, and only if, it commits.</summary>
    public Task SendAsync(NpgsqlConnection connection, IReadOnlyList<object> messages, string? correlationId = null,
        CancellationToken cancellationToken = default) =>
        EnqueueAsync(connection, messages, Activity.Current?.Id, correlationId, causationId: null, cancellationToken);

    internal async Task EnqueueAsync(NpgsqlConnection connection, IEnumerable<object> messages, string? traceParent,
        string? correlationId, string? causationId, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var ids = new List<Guid>();
        var handlers = new List<string>();
        var types = new List<string>();
        var versions = new List<int>();
        var bodies = new List<byte[]>();
        var deliverAt = new List<DateTimeOffset>();
        foreach (var item in messages)
        {
            ArgumentNullException.ThrowIfNull(item);
            // Instants are stored as UTC (timestamptz); a schedule may be expressed in any offset (e.g. midnight in Tokyo).
            var (message, at) = item is Scheduled s ? (s.Message, s.DeliverAt.ToUniversalTime()) : (item, now.ToUniversalTime());
            var payload = _handlers.MessageTypes.Serialize(message);
            var targets = _handlers.ForMessageType(payload.Name);
            if (targets.Count == 0) throw new InvalidOperationException($"No handler handles messages of type '{payload.Name}'.");
            foreach (var handler in targets)
            {
                ids.Add(Guid.CreateVersion7(now));
                handlers.Add(handler.Name);
                types.Add(payload.Name);
                versions.Add(payload.SchemaVersion);
                bodies.Add(payload.Utf8Json);
                deliverAt.Add(at);
            }
        }
        if (ids.Count == 0) return;

        await using var command = new NpgsqlCommand(_sql.Enqueue, connection);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. ids], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. handlers], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. types], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<int[]> { TypedValue = [.. versions], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        p.Add(new NpgsqlParameter<byte[][]> { TypedValue = [.. bodies], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        p.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. deliverAt], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        AddText(p, traceParent);
        AddText(p, correlationId);
        AddText(p, causationId);
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Enqueues the appended versions of a stream for every subscriber of their event types (same transaction).</summary>
    internal async Task EnqueueForEventsAsync(NpgsqlConnection connection, AppendResult appended, IReadOnlyCollection<string> eventTypes,
        CancellationToken cancellationToken)
    {
        var handlers = new List<string>();
        var types = new List<string>();
        foreach (var type in eventTypes)
        foreach (var handler in _handlers.ForEventType(type))
        {
            handlers.Add(handler.Name);
            types.Add(type);
        }
        if (handlers.Count == 0) return;

        await using var command = new NpgsqlCommand(_sql.EnqueueForEvents, connection);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string> { TypedValue = appended.StreamId });
        p.Add(new NpgsqlParameter<long> { TypedValue = appended.FirstVersion });
        p.Add(new NpgsqlParameter<long> { TypedValue = appended.LastVersion });
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = _clock.GetUtcNow(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. handlers], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. types], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal bool HasSubscribers() => _handlers.HasSubscribers;

    internal bool HasSubscribers(IReadOnlyCollection<string> eventTypes) => eventTypes.Any(t => _handlers.ForEventType(t).Count > 0);

    private static void AddText(NpgsqlParameterCollection parameters, string? value) =>
        parameters.Add(new NpgsqlParameter { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
}
