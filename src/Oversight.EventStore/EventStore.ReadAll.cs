using System.Data;
using Npgsql;
using NpgsqlTypes;
using Oversight.EventStore.Telemetry;

namespace Oversight.EventStore;

public sealed partial class EventStore
{
    /// <summary>
    /// Reads the next events of the global order after <paramref name="after"/>. Only transactions that are
    /// older than every transaction still in progress are returned, so a transaction that drew an earlier
    /// sequence but commits later is never skipped, and one that rolled back never blocks the reader once it
    /// has ended. Checkpoint on the last event's <see cref="RecordedEvent.Position"/>. Events of unregistered
    /// types arrive with an <see cref="UnknownEvent"/> payload.
    /// </summary>
    public async Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(GlobalPosition after, int maxCount = 1000,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        using var activity = StoreTelemetry.StartActivity("eventstore.read_all");
        await using var command = _dataSource.CreateCommand(_sql.ReadAll);
        command.Parameters.Add(new NpgsqlParameter<ulong> { TypedValue = after.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after.Sequence });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = maxCount });
        var events = new List<RecordedEvent>(Math.Min(maxCount, 1024));
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        // A type this process does not know (e.g. written by a newer version during a rolling deploy) must not
        // stall readers: it arrives as an UnknownEvent payload, which projections can skip.
        while (await reader.ReadAsync(cancellationToken)) events.Add(ReadEvent(reader, lenient: true));
        activity?.SetTag(StoreTelemetry.Tags.EventCount, events.Count);
        return events;
    }

    /// <summary>The position of the last event a forward reader can see now (Start when none).</summary>
    public async Task<GlobalPosition> ReadSafeHeadAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(_sql.SafeHead);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new GlobalPosition(reader.GetFieldValue<ulong>(0), reader.GetInt64(1))
            : GlobalPosition.Start;
    }

    /// <summary>The highest sequence drawn by a committed append (what <c>X-Event-Position</c> refers to).</summary>
    public async Task<long> ReadLastSequenceAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(_sql.LastSequence);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
