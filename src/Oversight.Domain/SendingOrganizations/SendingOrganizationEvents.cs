using Oversight.Domain.Common;

namespace Oversight.Domain.SendingOrganizations;

/// <summary>Why a sending organization is reported to its country's government under the MOC.</summary>
public enum MocReportReason
{
    HighDisappearanceRate,
    ExcessiveFees,
    DepositOrPenaltyContract,
    DocumentForgery,
    HumanRightsViolation,
    Other,
}

/// <summary>What the sending country answered: anything but <see cref="Investigating"/> is final.</summary>
public enum SendingCountryResponse
{
    Investigating,
    NoViolationFound,
    GuidanceGiven,
    LicenceSuspended,
    LicenceRevoked,
    NoResponse,
}

/// <summary>A sending organization approved by its country; <see cref="Country"/> is ISO 3166-1 alpha-2.</summary>
public sealed record SendingOrganizationRegistered(Guid SendingOrganizationId, string Country, string Name, string? LicenceId);

public sealed record SendingOrganizationReportedUnderMoc(Guid ReportId, DateOnly ReportedOn, IReadOnlyList<MocReportReason> Reasons, [property: PersonalData] string? Details);

public sealed record SendingCountryResponded(Guid ReportId, DateOnly RespondedOn, SendingCountryResponse Response, [property: PersonalData] string? Details);

/// <summary>While suspended, no plan naming the organization is accredited.</summary>
public sealed record SendingOrganizationAcceptanceSuspended(DateOnly From, DateOnly To, string PublishedReason);
