namespace Oversight.ReadModels.PublicSanctions;

/// <summary>The kinds of published measure (Arts.15(2), 16(2), 37(4)).</summary>
public enum SanctionType
{
    ImprovementOrder,
    BusinessSuspension,
    AcceptanceSuspension,
    CategoryDowngrade,
    PermitRevocation,
    PlanRevocation,
}

/// <summary>
/// One entry of the public register: what was ordered, against which organization, when, on what legal
/// basis, and the reason as published. Organizations are legal entities; nothing here names a person.
/// </summary>
public sealed record PublicSanction(
    long Position, SanctionType Type, DateOnly EffectiveOn, DateOnly? Until, int FiscalYear,
    Guid OrganizationId, string OrganizationType, string OrganizationName, string? Prefecture, string? CorporateNumber,
    string? PermitNumber, IReadOnlyList<string> PlanNumbers, string? LegalBasis, string PublishedReason);
