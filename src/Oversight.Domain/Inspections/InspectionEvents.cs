using Oversight.Domain.Common;

namespace Oversight.Domain.Inspections;

public enum InspectionKind
{
    Regular,
    Unannounced,
    /// <summary>Joint with a Labour Standards Inspection Office.</summary>
    JointWithLabourOffice,
}

public enum OrganizationType
{
    SupervisingOrganization,
    ImplementingOrganization,
}

public enum Severity
{
    Low,
    Medium,
    High,
    Critical,
}

/// <summary>What a finding is about. The last six are trafficking indicators (Arts.46–48, design §5).</summary>
public enum FindingCategory
{
    RecordKeeping,
    PlanDeviation,
    SafetyAndHealth,
    Dormitory,
    SupervisionDuties,
    FalseReport,
    ObstructedInspection,
    IllegalOvertime,
    UnpaidWages,
    ConfiscatedPassportOrResidenceCard,
    ViolenceOrThreats,
    ForcedSavingsOrDeposits,
    RestrictedMovement,
}

public enum InspectionOutcome
{
    NoIssues,
    GuidanceLetter,
    ImprovementRecommendation,
    ReferredForSanction,
}

public sealed record InspectionScheduled(Guid InspectionId, Guid OrganizationId, OrganizationType OrganizationType, InspectionKind Kind,
    DateOnly ScheduledOn, [property: PersonalData] string LeadInspector);

public sealed record InspectionStarted(DateOnly StartedOn);

/// <summary>A finding. <see cref="Narrative"/> is free text (may name people): never shown to analysts or the public.</summary>
public sealed record FindingRecorded(Guid FindingId, FindingCategory Category, Severity Severity, string? LegalBasis, int TraineesAffected,
    DateOnly ObservedOn, [property: PersonalData] string Narrative);

/// <summary>A correction is a new event: the finding stays in the record, marked retracted, with the reason.</summary>
public sealed record FindingRetracted(Guid FindingId, [property: PersonalData] string Reason);

public sealed record InspectionCompleted(DateOnly CompletedOn, InspectionOutcome Outcome);

public sealed record InspectionCancelled(DateOnly CancelledOn, [property: PersonalData] string Reason);
