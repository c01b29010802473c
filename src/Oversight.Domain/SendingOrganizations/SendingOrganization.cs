using Oversight.Domain.Common;

namespace Oversight.Domain.SendingOrganizations;

public sealed record MocResponse(DateOnly RespondedOn, SendingCountryResponse Response, string? Details)
{
    public bool IsFinal => Response != SendingCountryResponse.Investigating;
}

public sealed record MocReport(Guid Id, DateOnly ReportedOn, IReadOnlyList<MocReportReason> Reasons, string? Details, IReadOnlyList<MocResponse> Responses)
{
    public bool IsAnswered => Responses.Any(r => r.IsFinal);
}

/// <summary>A sending organization, folded from its stream <c>sending-organization-{id}</c>.</summary>
public sealed record SendingOrganization(Guid Id, string Country, string Name, string? LicenceId, IReadOnlyList<MocReport> Reports,
    IReadOnlyList<Period> AcceptanceSuspensions)
{
    public static string StreamId(Guid id) => $"sending-organization-{id}";

    public static SendingOrganization? Evolve(SendingOrganization? state, object e) => (state, e) switch
    {
        (null, SendingOrganizationRegistered r) => new SendingOrganization(r.SendingOrganizationId, r.Country, r.Name, r.LicenceId, [], []),
        (not null, SendingOrganizationReportedUnderMoc r) => state with
        {
            Reports = [.. state.Reports, new MocReport(r.ReportId, r.ReportedOn, r.Reasons, r.Details, [])],
        },
        (not null, SendingCountryResponded r) => state with
        {
            Reports = [.. state.Reports.Select(m => m.Id == r.ReportId
                ? m with { Responses = [.. m.Responses, new MocResponse(r.RespondedOn, r.Response, r.Details)] }
                : m)],
        },
        (not null, SendingOrganizationAcceptanceSuspended s) => state with { AcceptanceSuspensions = [.. state.AcceptanceSuspensions, new Period(s.From, s.To)] },
        _ => state,
    };

    public bool IsAcceptanceSuspendedOn(DateOnly date) => AcceptanceSuspensions.Any(p => p.Contains(date));
}
