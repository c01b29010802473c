using Oversight.Domain.Common;
using Oversight.Domain.Inspections;

namespace Oversight.Domain.CorrectionOrders;

public enum CorrectionOrderKind
{
    /// <summary>改善指導書: a shortfall that is not illegal.</summary>
    Guidance,

    /// <summary>改善勧告書: a legal violation.</summary>
    ImprovementRecommendation,

    /// <summary>The ministers' improvement order (Art.15 implementing, Art.36 supervising organizations): published.</summary>
    ImprovementOrder,

    /// <summary>是正勧告 of a Labour Standards Inspection Office.</summary>
    LabourStandardsCorrection,
}

public enum CorrectionIssuer
{
    Otit,
    Ministers,
    LabourStandardsOffice,
}

public sealed record CorrectionOrderIssued(Guid OrderId, Guid OrganizationId, OrganizationType OrganizationType, Guid? InspectionId,
    CorrectionIssuer Issuer, CorrectionOrderKind Kind, DateOnly IssuedOn, DateOnly DueOn, IReadOnlyList<Guid> FindingIds, string? LegalBasis,
    string? PublishedReason);

public sealed record CorrectionReported(DateOnly ReportedOn, [property: PersonalData] string Summary);

public sealed record CorrectionVerified(DateOnly VerifiedOn);

/// <summary>The report did not satisfy the issuer: the order is open again.</summary>
public sealed record CorrectionRejected(DateOnly RejectedOn, [property: PersonalData] string Reason);

/// <summary>Raised by a scheduled handler once the due date has passed without a verified correction.</summary>
public sealed record CorrectionOrderOverdue(DateOnly DueOn, DateOnly DetectedOn);

/// <summary>The next step on the ladder, e.g. "ImprovementOrder", "BusinessSuspension", "PermitRevocation", "PlanRevocation".</summary>
public sealed record CorrectionOrderEscalated(DateOnly EscalatedOn, string To, [property: PersonalData] string Reason);
