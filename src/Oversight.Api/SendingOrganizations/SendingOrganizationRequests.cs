using Oversight.Domain.SendingOrganizations;

namespace Oversight.Api.SendingOrganizations;

public sealed record RegisterSendingOrganizationRequest(string? Country, string? Name, string? LicenceId)
{
    internal static readonly RegisterSendingOrganizationRequest Example = new("VN", "Hanoi Manpower Export JSC", "VN-LD-0427");
}

public sealed record MocReportRequest(DateOnly? ReportedOn, IReadOnlyList<MocReportReason>? Reasons, string? Details)
{
    internal static readonly MocReportRequest Example = new(new(2022, 6, 15), [MocReportReason.HighDisappearanceRate],
        "Trainees placed by this organization disappeared at more than three times the average rate.");
}

public sealed record MocResponseRequest(DateOnly? RespondedOn, SendingCountryResponse? Response, string? Details)
{
    internal static readonly MocResponseRequest Example = new(new(2022, 9, 1), SendingCountryResponse.LicenceSuspended, "Licence suspended for six months.");
}
