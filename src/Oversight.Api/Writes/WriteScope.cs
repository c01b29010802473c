using Marten;
using Oversight.Persistence.Events;
using Oversight.Persistence.Integrity;

namespace Oversight.Api.Writes;

/// <summary>
/// One command's view of the store inside its transaction: streams loaded (their heads become the expected versions
/// and chain links of the appends), events to append, unique numbers to claim. Nothing is written until the command
/// returns; then all of it commits together or not at all.
/// </summary>
internal sealed class WriteScope(IDocumentSession session, string schema, DateOnly today, long? ifMatch, IdempotencyRecords.Lookup? lookup,
    StreamStates states)
{
    private readonly Dictionary<string, ChainHead> _heads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Loaded> _loaded = new(StringComparer.Ordinal);
    private IdempotencyRecords.Lookup? _lookup = lookup;

    internal List<(string StreamId, ChainHead Head, List<PendingEvent> Events)> Appends { get; } = [];
    internal List<(string Kind, string Value, string StreamId)> Claims { get; } = [];

    /// <summary>Today in Tokyo by the injected clock (for rules that compare business dates with the present).</summary>
    public DateOnly Today => today;

    /// <summary>
    /// Folds a stream as of now; an empty stream gives <paramref name="initial"/>. The first read also looks up the
    /// Idempotency-Key, in the same round trip, and throws <see cref="IdempotencyRecords.FoundException"/> when it has a stored response.
    /// </summary>
    public async Task<T> LoadAsync<T>(string streamId, T initial, Func<T, object, T> evolve, CancellationToken cancellationToken)
    {
        // A state this node folded before (StreamStates): when the stream still ends at the remembered head, nothing is read but
        // that head's version and hash.
        var cached = states.Get<T>(streamId);
        if (cached is not null)
        {
            var heads = await ReadAsync(batch => batch.AddItem(new StreamHeadProbe(schema, streamId, cached.Head.Version)), cancellationToken);
            if (StreamHeadProbe.Confirms(heads, cached.Head)) return Keep(streamId, (T)cached.State!, cached.Head, evolve);
        }

        // Otherwise the events from the remembered head on (or the whole stream), folded onto the state when the head's event still
        // carries the remembered hash (a stream recreated under the same id, or a wrong entry, is read and folded in full).
        var events = await ReadAsync(batch => batch.Events.FetchStream(streamId, fromVersion: cached?.Head.Version ?? 0), cancellationToken);
        var state = initial;
        var first = 0;
        if (cached is not null)
        {
            if (events.Count > 0 && events[0].Version == cached.Head.Version && ChainedAppends.HashOf(events[0]).AsSpan().SequenceEqual(cached.Head.Hash))
                (state, first) = ((T)cached.State!, 1);
            else events = await session.Events.FetchStreamAsync(streamId, token: cancellationToken);
        }
        for (var i = first; i < events.Count; i++) state = evolve(state, events[i].Data);
        return Keep(streamId, state, ChainedAppends.HeadOf(events), evolve);
    }

    private T Keep<T>(string streamId, T state, ChainHead head, Func<T, object, T> evolve)
    {
        _heads[streamId] = head;
        _loaded[streamId] = new Loaded(typeof(T), state, (s, e) => evolve((T)s!, e));
        return state;
    }

    /// <summary>
    /// One round trip: the read <paramref name="add"/> queues, and while the Idempotency-Key is still unread its lookup after it. The
    /// stream comes before the record: each statement reads the latest commit (READ COMMITTED), and a duplicate commits its events and
    /// its record together, so a stream that shows its write comes with a lookup that finds its record.
    /// </summary>
    private async Task<TResult> ReadAsync<TResult>(Func<Marten.Services.BatchQuerying.IBatchedQuery, Task<TResult>> add, CancellationToken cancellationToken)
    {
        var batch = session.CreateBatchQuery();
        var result = add(batch);
        var stored = _lookup is { } lookup ? batch.AddItem(lookup) : null;
        _lookup = null;
        await batch.Execute(cancellationToken);
        if (stored is not null && await stored is { } record) throw new IdempotencyRecords.FoundException(record);
        return await result;
    }

    /// <summary>A stream's state as loaded, and how to fold further events into it.</summary>
    private sealed record Loaded(Type StateType, object? State, Func<object?, object, object?> Evolve);

    /// <summary>
    /// After the commit: the loaded streams' states, with this command's events folded in, become the starting points of later
    /// writes on this node. Called only once the transaction has committed.
    /// </summary>
    internal void RememberCommitted(IReadOnlyList<JasperFx.Events.StreamAction> appended)
    {
        foreach (var (streamId, loaded) in _loaded)
        {
            var (state, head) = (loaded.State, _heads[streamId]);
            for (var i = 0; i < Appends.Count; i++)
            {
                if (Appends[i].StreamId != streamId) continue;
                foreach (var e in Appends[i].Events) state = loaded.Evolve(state, e.Data);
                head = new ChainHead(head.Version + Appends[i].Events.Count, ChainedAppends.HashOf(appended[i].Events[^1]));
            }
            states.Set(loaded.StateType, streamId, state, head);
        }
    }

    /// <summary>Loads the stream the request addresses and checks the caller's <c>If-Match</c> against its version.</summary>
    public async Task<T> LoadTargetAsync<T>(string streamId, T initial, Func<T, object, T> evolve, CancellationToken cancellationToken)
    {
        var state = await LoadAsync(streamId, initial, evolve, cancellationToken);
        var version = _heads[streamId].Version;
        if (ifMatch is { } expected && version > 0 && version != expected)
            throw Http.ApiProblemException.PreconditionFailed($"The resource is at version {version}, not {expected}: read it again and decide anew.");
        return state;
    }

    public long VersionOf(string streamId) => _heads.TryGetValue(streamId, out var head) ? head.Version : 0;

    /// <summary>The stream's version once this command's appends are in.</summary>
    public long VersionAfter(string streamId) => VersionOf(streamId) + Appends.Where(a => a.StreamId == streamId).Sum(a => a.Events.Count);

    /// <summary>The Idempotency-Key's stored response, for a command that ended before reading any stream (null if there is none or it was read).</summary>
    public async Task<IdempotencyRecord?> LookUpIfPendingAsync(CancellationToken cancellationToken)
    {
        if (_lookup is not { } lookup) return null;
        _lookup = null;
        return await IdempotencyRecords.FindAsync(session, lookup, cancellationToken);
    }

    public bool LookupPending => _lookup is not null;

    /// <summary>Appends to a loaded stream, expecting it unchanged since it was loaded (or to a new stream).</summary>
    public void Append(string streamId, DateOnly occurredOn, IEnumerable<object> events)
    {
        var pending = events.Select(e => new PendingEvent(e, occurredOn)).ToList();
        if (pending.Count == 0) return;
        Appends.Add((streamId, _heads.GetValueOrDefault(streamId, ChainHead.Empty), pending));
    }

    /// <summary>Claims a number that must be unique (e.g. a permit number) for <paramref name="streamId"/>; a taken number is a 409.</summary>
    public void ClaimUnique(string kind, string value, string streamId) => Claims.Add((kind, value, streamId));
}
