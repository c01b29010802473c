namespace Oversight.Cli.Seeding;

/// <summary>
/// The generator's only source of randomness: a seeded <see cref="Random"/> (its seeded algorithm is fixed across
/// runs and platforms), with helpers for dates, weights and UUIDv7-shaped ids. Never the clock, never Guid.NewGuid.
/// </summary>
public sealed class SeedRandom(int seed)
{
    private static readonly DateOnly UnixEpoch = new(1970, 1, 1);
    private readonly Random _random = new(seed);

    /// <summary>A generator for one part of the dataset, so adding draws to one part leaves the others as they were.</summary>
    public static SeedRandom For(int seed, int part) => new(unchecked((seed * 1_000_003) ^ (part * 7_919)) & int.MaxValue);

    public int Int(int minInclusive, int maxExclusive) => maxExclusive <= minInclusive ? minInclusive : _random.Next(minInclusive, maxExclusive);

    /// <summary>An integer in [min, max], both inclusive.</summary>
    public int Between(int min, int max) => max <= min ? min : _random.Next(min, max + 1);

    public double Double() => _random.NextDouble();

    public bool Chance(double probability) => _random.NextDouble() < probability;

    /// <summary>A date in [from, to], both inclusive (from when the range is empty).</summary>
    public DateOnly Date(DateOnly from, DateOnly to) => to <= from ? from : from.AddDays(_random.Next(0, to.DayNumber - from.DayNumber + 1));

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    public int Weighted(IReadOnlyList<double> weights)
    {
        var total = 0.0;
        for (var i = 0; i < weights.Count; i++) total += weights[i];
        var x = _random.NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            x -= weights[i];
            if (x < 0) return i;
        }
        return weights.Count - 1;
    }

    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A UUIDv7-shaped id whose timestamp is a moment of <paramref name="date"/> (Tokyo office hours) and whose other bits are seeded.</summary>
    public Guid Uuid7(DateOnly date)
    {
        // 00:00 UTC of the date is 09:00 in Tokyo; add up to 9 hours.
        var milliseconds = (long)(date.DayNumber - UnixEpoch.DayNumber) * 86_400_000L + _random.NextInt64(0, 9 * 3_600_000L);
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes[6..]);
        for (var i = 0; i < 6; i++) bytes[i] = (byte)(milliseconds >> (8 * (5 - i)));
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}
