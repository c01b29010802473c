namespace Oversight.Domain.Common;

/// <summary>An inclusive range of business dates.</summary>
public readonly record struct Period(DateOnly From, DateOnly To)
{
    public static Period Of(DateOnly from, DateOnly to, string field = "to") =>
        to >= from ? new Period(from, to) : throw new InvalidValue(field, $"The period ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}).");

    public bool Contains(DateOnly date) => date >= From && date <= To;

    public bool Overlaps(Period other) => From <= other.To && other.From <= To;

    /// <summary>Whether the period lasts at most <paramref name="years"/> years, its end inclusive (2022-04-01 + 1 year ends 2023-03-31).</summary>
    public bool LastsAtMost(int years) => To < From.AddYears(years);
}
