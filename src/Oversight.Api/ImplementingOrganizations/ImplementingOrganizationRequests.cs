using System.ComponentModel.DataAnnotations;
using Oversight.Domain.Common;
using Oversight.Api.OpenApi;
using Oversight.Domain.ImplementingOrganizations;

namespace Oversight.Api.ImplementingOrganizations;

/// <summary><c>registeredOn</c> defaults to today (Tokyo).</summary>
public sealed record RegisterImplementingOrganizationRequest(
    [Required, RegularExpression(Domain.Common.CorporateNumber.Format)] string? CorporateNumber, [Required, StringLength(200)] string? Name,
    [Required, PrefectureCode] string? Prefecture, [Required, StringLength(100)] string? Industry, [Required] Guid? SupervisingOrganizationId, DateOnly? RegisteredOn)
{
    internal static readonly RegisterImplementingOrganizationRequest Example =
        new("1180301018771", "Shizuoka Precision Castings Co., Ltd.", "22", "Casting", Guid.Parse("01934b9e-0000-7000-8000-000000000001"), null);
}

/// <summary><c>accreditedOn</c> defaults to today (Tokyo); the plan runs <c>from</c>–<c>to</c> (No.1 at most a year, No.2/No.3 two).</summary>
public sealed record AccreditTrainingPlanRequest([Required, RegularExpression(DocumentNumbers.PlanFormat)] string? PlanNumber, [Required] PlanType? Type,
    [Required, Range(1, 1000)] int? Trainees, [Required, CountryCode] string? SendingCountry, Guid? SendingOrganizationId,
    [Required] DateOnly? From, [Required] DateOnly? To, DateOnly? AccreditedOn)
{
    internal static readonly AccreditTrainingPlanRequest Example = new("認1711001206", PlanType.No1, 3, "VN", null, new(2023, 4, 1), new(2024, 3, 31), new(2023, 3, 1));
}

public sealed record ChangeSupervisingOrganizationRequest([Required] Guid? SupervisingOrganizationId, [Required] DateOnly? EffectiveOn)
{
    internal static readonly ChangeSupervisingOrganizationRequest Example = new(Guid.Parse("01934b9e-0000-7000-8000-000000000002"), new(2023, 10, 1));
}

public sealed record ReportDisappearanceRequest([Required, Range(1, 1000)] int? Count, [Required] DateOnly? ReportedOn,
    [RegularExpression(DocumentNumbers.PlanFormat)] string? PlanNumber)
{
    internal static readonly ReportDisappearanceRequest Example = new(2, new(2023, 8, 14), "認1711001206");
}

/// <summary>Without <c>planNumbers</c> every remaining plan is revoked.</summary>
public sealed record RevokePlansRequest([Required] DateOnly? EffectiveOn, [MaxLength(500), EachMatches(DocumentNumbers.PlanFormat)] IReadOnlyList<string>? PlanNumbers,
    [Required, RegularExpression(Domain.Common.LegalBasis.Format)] string? LegalBasis, [Required, StringLength(2000)] string? Reason)
{
    internal static readonly RevokePlansRequest Example = new(new(2023, 3, 10), ["認1711001206"], "Art.16(1)(iv)", "False reports on working hours.");
}
