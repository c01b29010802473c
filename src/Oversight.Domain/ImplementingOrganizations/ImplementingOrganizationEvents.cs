using Oversight.Domain.Common;

namespace Oversight.Domain.ImplementingOrganizations;

/// <summary>A registration; <see cref="RegisteredOn"/> is absent from events recorded before it was added (their business date is in the metadata).</summary>
public sealed record ImplementingOrganizationRegistered(Guid OrganizationId, string CorporateNumber, string Name, string Prefecture, string Industry,
    Guid SupervisingOrganizationId, DateOnly? RegisteredOn = null);

/// <summary>An accreditation; <see cref="AccreditedOn"/> is absent from events recorded before it was added.</summary>
public sealed record TrainingPlanAccredited(string PlanNumber, PlanType Type, int Trainees, string SendingCountry, Guid? SendingOrganizationId,
    DateOnly From, DateOnly To, Regime Regime, DateOnly? AccreditedOn = null);

public sealed record SupervisingOrganizationChanged(Guid From, Guid To, DateOnly EffectiveOn);

public sealed record TraineeDisappearanceReported(int Count, DateOnly ReportedOn, string? PlanNumber);

public sealed record ImplementingOrganizationAcceptanceSuspended(DateOnly From, DateOnly To, string PublishedReason);

/// <summary>
/// Plan accreditations revoked (Art.16(1)). <see cref="PlanNumbers"/> lists the plans actually revoked, also when
/// <see cref="All"/> was asked for; once every plan is revoked the organization is fully revoked.
/// </summary>
public sealed record PlanAccreditationRevoked(DateOnly EffectiveOn, IReadOnlyList<string> PlanNumbers, bool All, string LegalBasis, string PublishedReason);
