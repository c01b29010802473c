using System.ComponentModel.DataAnnotations;
using Oversight.Api.OpenApi;
using Oversight.Domain.SendingOrganizations;

namespace Oversight.Api.SendingOrganizations;

public sealed record RegisterSendingOrganizationRequest([Required, CountryCode] string? Country, [Required, StringLength(200)] string? Name,
    [StringLength(100)] string? LicenceId)
{
    internal static readonly RegisterSendingOrganizationRequest Example = new("VN", "Hanoi Manpower Export JSC", "VN-LD-0427");
}

public sealed record MocReportRequest([Required] DateOnly? ReportedOn, [Required, MinLength(1)] IReadOnlyList<MocReportReason>? Reasons,
    [StringLength(4000)] string? Details)
{
    internal static readonly MocReportRequest Example = new(new(2022, 6, 15), [MocReportReason.HighDisappearanceRate],
        "Trainees placed by this organization disappeared at more than three times the average rate.");
}

public sealed record MocResponseRequest([Required] DateOnly? RespondedOn, [Required] SendingCountryResponse? Response, [StringLength(4000)] string? Details)
{
    internal static readonly MocResponseRequest Example = new(new(2022, 9, 1), SendingCountryResponse.LicenceSuspended, "Licence suspended for six months.");
}
