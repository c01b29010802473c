using Oversight.Domain.Common;

namespace Oversight.Domain.Moc;

/// <summary>Records a memorandum signed with a country (the HTTP layer validates the ISO code).</summary>
public sealed record SignMoc(Guid MocId, string Country, DateOnly SignedOn, DateOnly InForceFrom, string? Source);

public sealed record EndMoc(DateOnly EndedOn, string Reason);

/// <summary>
/// Memoranda of Cooperation as dated facts: one in force at a time per country, in force no earlier than signed, ended after it
/// took effect. Reports under the MOC and plans naming a sending organization need the memorandum in force on their date
/// (<see cref="EnsureInForce"/>).
/// </summary>
public static class MocRules
{
    public static object[] Decide(MocAgreement? state, SignMoc c)
    {
        if (c.InForceFrom < c.SignedOn)
            throw new RuleViolation("in-force-before-signed", $"A memorandum signed on {c.SignedOn:yyyy-MM-dd} is not in force before.", "inForceFrom");
        if (state?.Terms.LastOrDefault() is { EndedOn: null } current)
            throw new RuleViolation("moc-in-force", $"A memorandum with {c.Country} is in force since {current.InForceFrom:yyyy-MM-dd}; end it first.", "country");
        if (state?.Terms.LastOrDefault() is { EndedOn: { } ended } && c.InForceFrom < ended)
            throw new RuleViolation("moc-overlaps", $"The previous memorandum with {c.Country} was in force until {ended:yyyy-MM-dd}.", "inForceFrom");
        return [new MocSigned(c.MocId, c.Country, c.SignedOn, c.InForceFrom, string.IsNullOrWhiteSpace(c.Source) ? null : c.Source.Trim())];
    }

    public static object[] Decide(MocAgreement? state, EndMoc c)
    {
        var current = state?.Terms.LastOrDefault() is { EndedOn: null } term ? term
            : throw new RuleViolation("no-moc-in-force", "No memorandum with this country is in force.");
        if (c.EndedOn <= current.InForceFrom)
            throw new RuleViolation("ended-before-in-force", $"The memorandum took effect on {current.InForceFrom:yyyy-MM-dd}.", "endedOn");
        if (string.IsNullOrWhiteSpace(c.Reason)) throw new InvalidValue("reason", "A reason is required.");
        return [new MocEnded(c.EndedOn, c.Reason.Trim())];
    }

    /// <summary>Refuses an act under the MOC with <paramref name="country"/> dated <paramref name="on"/> when no memorandum was in force that day.</summary>
    public static void EnsureInForce(MocAgreement? moc, string country, DateOnly on, string field)
    {
        if (moc is null || !moc.IsInForceOn(on))
            throw new RuleViolation("no-moc-in-force", $"Japan had no Memorandum of Cooperation in force with {country} on {on:yyyy-MM-dd}.", field);
    }
}
