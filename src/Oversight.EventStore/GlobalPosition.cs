namespace Oversight.EventStore;

/// <summary>
/// A point in the global order. Events are delivered in (writing transaction id, sequence) order: a
/// transaction's events become readable only once every transaction with a lower id has ended, so a reader
/// that checkpoints here never skips an event that commits late and never waits on one that rolled back.
/// </summary>
public readonly record struct GlobalPosition(ulong TransactionId, long Sequence) : IComparable<GlobalPosition>
{
    public static GlobalPosition Start { get; } = new(0, 0);

    public int CompareTo(GlobalPosition other)
    {
        var byTransaction = TransactionId.CompareTo(other.TransactionId);
        return byTransaction != 0 ? byTransaction : Sequence.CompareTo(other.Sequence);
    }

    public static bool operator <(GlobalPosition left, GlobalPosition right) => left.CompareTo(right) < 0;
    public static bool operator >(GlobalPosition left, GlobalPosition right) => left.CompareTo(right) > 0;
    public static bool operator <=(GlobalPosition left, GlobalPosition right) => left.CompareTo(right) <= 0;
    public static bool operator >=(GlobalPosition left, GlobalPosition right) => left.CompareTo(right) >= 0;
}
