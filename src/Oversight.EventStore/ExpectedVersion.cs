namespace Oversight.EventStore;

/// <summary>What the writer believes the stream's version to be; checked atomically with the append.</summary>
public readonly record struct ExpectedVersion
{
    private ExpectedVersion(long value) => Value = value;

    /// <summary>-2 any, -1 no stream, n ≥ 0 exactly n (0 = the stream has no events).</summary>
    internal long Value { get; }

    public static ExpectedVersion Any { get; } = new(-2);
    public static ExpectedVersion NoStream { get; } = new(-1);

    public static ExpectedVersion Exactly(long version) =>
        version < 0
            ? throw new ArgumentOutOfRangeException(nameof(version), version, "An expected version cannot be negative.")
            : new ExpectedVersion(version);

    public override string ToString() => Value switch
    {
        -2 => "any",
        -1 => "no stream",
        _ => Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
