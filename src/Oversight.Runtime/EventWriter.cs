using Npgsql;
using Oversight.EventStore;
using Oversight.Runtime.Messaging;
using Oversight.Runtime.Projections;

namespace Oversight.Runtime;

/// <summary>
/// Appends events together with what must commit with them: inline projections and the outbox rows of the
/// events' subscribers. One transaction; when nothing rides along it is the store's single-statement append.
/// </summary>
public sealed class EventWriter
{
    private const int ConcurrentAppendRetries = 5;
    private readonly EventStore.EventStore _store;
    private readonly IReadOnlyList<IProjection> _inline;
    private readonly MessageBus _bus;
    private readonly WakeSignal _wake;
    private readonly string _readModelSchema;

    public EventWriter(EventStore.EventStore store, ProjectionRegistry projections, MessageBus bus, WakeSignal wake, RuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(projections);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _inline = projections.Inline;
        _bus = bus;
        _wake = wake;
        _readModelSchema = options.ValidatedReadModelSchema();
    }

    internal EventStore.EventStore Store => _store;

    /// <inheritdoc cref="EventStore.EventStore.AppendAsync(string, ExpectedVersion, IReadOnlyList{EventData}, AppendOptions?, CancellationToken)"/>
    public async Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events,
        AppendOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        // Most appends carry nothing along: resolve the events' type names only when someone may subscribe.
        var types = _bus.HasSubscribers() ? TypesOf(events) : [];
        if (_inline.Count == 0 && !_bus.HasSubscribers(types))
        {
            var plain = await _store.AppendAsync(streamId, expected, events, options, cancellationToken);
            if (!plain.Replayed) _wake.Signal();
            return plain;
        }

        for (var attempt = 0; ; attempt++)
        {
            await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            try
            {
                var result = await AppendCoreAsync(connection, streamId, expected, events, types, options, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                if (!result.Replayed) _wake.Signal();
                return result;
            }
            catch (ConcurrentAppendException) when (attempt < ConcurrentAppendRetries)
            {
                // The transaction was aborted by a race with a bulk import; a new one re-decides.
            }
        }
    }

    /// <summary>
    /// Appends in the caller's open transaction (handlers; commands that write several streams or their own
    /// rows atomically with the events). The caller commits, then calls <see cref="WakeSignal.Signal"/> so
    /// daemons and workers notice without waiting for their poll. A <see cref="ConcurrentAppendException"/>
    /// means the transaction was aborted: roll back and retry it whole.
    /// </summary>
    public Task<AppendResult> AppendInTransactionAsync(NpgsqlConnection connection, string streamId, ExpectedVersion expected,
        IReadOnlyList<EventData> events, AppendOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        return AppendCoreAsync(connection, streamId, expected, events, TypesOf(events), options, cancellationToken);
    }

    private async Task<AppendResult> AppendCoreAsync(NpgsqlConnection connection, string streamId, ExpectedVersion expected,
        IReadOnlyList<EventData> events, IReadOnlyCollection<string> types, AppendOptions? options, CancellationToken cancellationToken)
    {
        var result = await _store.AppendAsync(connection, streamId, expected, events, options, cancellationToken);
        if (result.Replayed) return result; // the first append already projected and enqueued these events

        if (_inline.Count > 0)
        {
            var recorded = await _store.ReadStreamAsync(connection, streamId, result.FirstVersion, result.LastVersion, cancellationToken);
            var context = new ProjectionContext(connection, _readModelSchema, rebuilding: false);
            foreach (var projection in _inline) await projection.ApplyAsync(context, recorded, cancellationToken);
        }
        await _bus.EnqueueForEventsAsync(connection, result, types, cancellationToken);
        return result;
    }

    private HashSet<string> TypesOf(IReadOnlyList<EventData> events)
    {
        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            ArgumentNullException.ThrowIfNull(e);
            ArgumentNullException.ThrowIfNull(e.Data, nameof(EventData.Data));
            types.Add(_store.Types.NameOf(e.Data.GetType()));
        }
        return types;
    }
}
