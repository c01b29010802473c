using Microsoft.Extensions.Caching.Memory;
using Oversight.Persistence.Integrity;

namespace Oversight.Api.Writes;

/// <summary>
/// The folded state of streams this node wrote or read lately, with the chain head it was folded to, so the next write to a
/// stream reads the events from that head on instead of the whole stream (ADR 12, seventh round). An entry is only a starting
/// point: the load reads the head's own event again and uses the entry only when that event still carries the remembered hash
/// (a stream recreated under the same id, or a wrong entry, falls back to a full read), then folds whatever came after it —
/// also what other nodes appended. Entries hold only what the pure <c>Evolve</c> functions keep (immutable records) and are
/// written after a commit, never from a transaction that may still roll back. Capacity 0 turns the cache off.
/// </summary>
internal sealed class StreamStates(int capacity) : IDisposable
{
    private readonly MemoryCache? _cache = capacity <= 0 ? null : new(new MemoryCacheOptions { SizeLimit = capacity, CompactionPercentage = 0.25 });

    private static readonly MemoryCacheEntryOptions Entry = new() { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) };

    internal sealed record Folded(object? State, ChainHead Head);

    public Folded? Get<T>(string streamId) => _cache?.Get((typeof(T), streamId)) as Folded;

    public void Set(Type stateType, string streamId, object? state, ChainHead head)
    {
        if (_cache is null || head.Version == 0) return;
        _cache.Set((stateType, streamId), new Folded(state, head), Entry);
    }

    public void Dispose() => _cache?.Dispose();
}
