using Oversight.Domain.Common;

namespace Oversight.Domain.LegalEntities;

/// <summary>What is known of a legal entity across its organizations: the disqualifications that bind it.</summary>
public sealed record LegalEntity(IReadOnlyList<EntityDisqualified> Disqualifications)
{
    public static readonly LegalEntity None = new([]);
    public static readonly int DisqualificationYears = 5;

    public static string StreamId(CorporateNumber number) => $"entity-{number}";

    public LegalEntity Apply(object e) => e is EntityDisqualified d ? this with { Disqualifications = [.. Disqualifications, d] } : this;

    /// <summary>Refuses a new registration or accreditation on <paramref name="on"/> while the entity is disqualified.</summary>
    public void EnsureQualified(DateOnly on)
    {
        var binding = Disqualifications.Where(d => d.From <= on && on < d.Until).OrderByDescending(d => d.Until).FirstOrDefault();
        if (binding is not null)
            throw new RuleViolation("entity-disqualified",
                $"Corporate number {binding.CorporateNumber} is disqualified until {binding.Until:yyyy-MM-dd} ({binding.Cause}).", "corporateNumber");
    }

    public static EntityDisqualified Disqualify(string corporateNumber, DateOnly from, string cause, string sourceStreamId) =>
        new(corporateNumber, from, from.AddYears(DisqualificationYears), cause, sourceStreamId);
}
