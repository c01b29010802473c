using Oversight.Domain.ImplementingOrganizations;

namespace Oversight.Api.ImplementingOrganizations;

/// <summary><c>registeredOn</c> defaults to today (Tokyo).</summary>
public sealed record RegisterImplementingOrganizationRequest(string? CorporateNumber, string? Name, string? Prefecture, string? Industry,
    Guid? SupervisingOrganizationId, DateOnly? RegisteredOn)
{
    internal static readonly RegisterImplementingOrganizationRequest Example =
        new("1180301018771", "Shizuoka Precision Castings Co., Ltd.", "22", "Casting", Guid.Parse("01934b9e-0000-7000-8000-000000000001"), null);
}

/// <summary><c>accreditedOn</c> defaults to today (Tokyo); the plan runs <c>from</c>–<c>to</c> (No.1 at most a year, No.2/No.3 two).</summary>
public sealed record AccreditTrainingPlanRequest(string? PlanNumber, PlanType? Type, int? Trainees, string? SendingCountry, Guid? SendingOrganizationId,
    DateOnly? From, DateOnly? To, DateOnly? AccreditedOn)
{
    internal static readonly AccreditTrainingPlanRequest Example = new("認1711001206", PlanType.No1, 3, "VN", null, new(2023, 4, 1), new(2024, 3, 31), new(2023, 3, 1));
}

public sealed record ChangeSupervisingOrganizationRequest(Guid? SupervisingOrganizationId, DateOnly? EffectiveOn)
{
    internal static readonly ChangeSupervisingOrganizationRequest Example = new(Guid.Parse("01934b9e-0000-7000-8000-000000000002"), new(2023, 10, 1));
}

public sealed record ReportDisappearanceRequest(int? Count, DateOnly? ReportedOn, string? PlanNumber)
{
    internal static readonly ReportDisappearanceRequest Example = new(2, new(2023, 8, 14), "認1711001206");
}

/// <summary>Without <c>planNumbers</c> every remaining plan is revoked.</summary>
public sealed record RevokePlansRequest(DateOnly? EffectiveOn, IReadOnlyList<string>? PlanNumbers, string? LegalBasis, string? Reason)
{
    internal static readonly RevokePlansRequest Example = new(new(2023, 3, 10), ["認1711001206"], "Art.16(1)(iv)", "False reports on working hours.");
}
