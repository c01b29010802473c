using System.ComponentModel.DataAnnotations;
using Oversight.Domain.Inspections;

namespace Oversight.Api.Inspections;

public sealed record ScheduleInspectionRequest([Required] Guid? OrganizationId, [Required] InspectionKind? Kind, [Required] DateOnly? ScheduledOn,
    [Required, StringLength(200)] string? LeadInspector)
{
    internal static readonly ScheduleInspectionRequest Example =
        new(Guid.Parse("01934b9e-0000-7000-8000-000000000001"), InspectionKind.Unannounced, new(2023, 6, 1), "inspector-7");
}

public sealed record StartInspectionRequest([Required] DateOnly? StartedOn)
{
    internal static readonly StartInspectionRequest Example = new(new DateOnly(2023, 6, 1));
}

/// <summary><c>findingId</c> is optional: the server assigns one (returned as <c>id</c>) when it is absent.</summary>
public sealed record RecordFindingRequest(Guid? FindingId, [Required] FindingCategory? Category, [Required] Severity? Severity,
    [RegularExpression(Domain.Common.LegalBasis.Format)] string? LegalBasis, [Required, Range(0, 10_000)] int? TraineesAffected,
    [Required] DateOnly? ObservedOn, [Required, StringLength(8000)] string? Narrative)
{
    internal static readonly RecordFindingRequest Example =
        new(null, FindingCategory.ConfiscatedPassportOrResidenceCard, Domain.Inspections.Severity.Critical, "Art.48(1)", 3, new(2023, 6, 1), "Passports of three trainees kept in the office safe.");
}

public sealed record RetractFindingRequest([Required, StringLength(2000)] string? Reason)
{
    internal static readonly RetractFindingRequest Example = new("Recorded against the wrong inspection.");
}

public sealed record CompleteInspectionRequest([Required] DateOnly? CompletedOn, [Required] InspectionOutcome? Outcome)
{
    internal static readonly CompleteInspectionRequest Example = new(new(2023, 6, 2), InspectionOutcome.ImprovementRecommendation);
}

public sealed record CancelInspectionRequest([Required] DateOnly? CancelledOn, [Required, StringLength(2000)] string? Reason)
{
    internal static readonly CancelInspectionRequest Example = new(new(2023, 6, 2), "The site was closed after a flood.");
}
