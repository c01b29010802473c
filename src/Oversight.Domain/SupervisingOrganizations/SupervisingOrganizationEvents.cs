using Oversight.Domain.Common;

namespace Oversight.Domain.SupervisingOrganizations;

public enum PermitCategory
{
    /// <summary>一般監理事業: plans No.1–3; 5-year terms (7 when renewed rated excellent).</summary>
    General,

    /// <summary>特定監理事業: plans No.1–2; 3-year terms (5 when renewed rated excellent).</summary>
    Specified,
}

public sealed record SupervisingOrganizationRegistered(
    Guid OrganizationId, string PermitNumber, string CorporateNumber, string Name, string Prefecture,
    PermitCategory Category, DateOnly PermitFrom, DateOnly PermitTo, Regime Regime);

public sealed record PermitRenewed(DateOnly From, DateOnly To, bool RatedExcellent);

/// <summary>A category change: on application, or ex officio (a downgrade, Art.37(2), published with its effective date).</summary>
public sealed record PermitCategoryChanged(PermitCategory From, PermitCategory To, bool ExOfficio, string? LegalBasis, string? PublishedReason,
    DateOnly? EffectiveOn = null);

public sealed record BusinessSuspended(DateOnly From, DateOnly To, bool Partial, string LegalBasis, string PublishedReason);

/// <summary>Acceptance of new trainees suspended for a period (SOs, IOs, sending organizations).</summary>
public sealed record AcceptanceSuspended(DateOnly From, DateOnly To, string PublishedReason);

/// <summary>Notice of the hearing that precedes a revocation: from now on, abolishing the business does not evade disqualification (Art.26(3)).</summary>
public sealed record RevocationHearingNoticed(DateOnly NoticedOn);

public sealed record PermitRevoked(DateOnly EffectiveOn, string LegalBasis, string PublishedReason);

public sealed record BusinessAbolished(DateOnly EffectiveOn, bool AfterHearingNotice);

/// <summary>The permit ran out without a renewal: the organization may not supervise from <see cref="LapsedOn"/> (the day after its last day).</summary>
public sealed record PermitLapsed(DateOnly LapsedOn);
