namespace Oversight.Domain.Common;

/// <summary>An inclusive range of business dates.</summary>
public readonly record struct Period(DateOnly From, DateOnly To)
{
    public static Period Of(DateOnly from, DateOnly to, string field = "to") =>
        to >= from ? new Period(from, to) : throw new InvalidValue(field, $"The period ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}).");
}
