using Oversight.Domain.Inspections;

namespace Oversight.Api.Inspections;

public sealed record ScheduleInspectionRequest(Guid? OrganizationId, InspectionKind? Kind, DateOnly? ScheduledOn, string? LeadInspector);

public sealed record StartInspectionRequest(DateOnly? StartedOn);

/// <summary><c>findingId</c> is optional: the server assigns one (returned as <c>id</c>) when it is absent.</summary>
public sealed record RecordFindingRequest(Guid? FindingId, FindingCategory? Category, Severity? Severity, string? LegalBasis, int? TraineesAffected,
    DateOnly? ObservedOn, string? Narrative);

public sealed record RetractFindingRequest(string? Reason);

public sealed record CompleteInspectionRequest(DateOnly? CompletedOn, InspectionOutcome? Outcome);
