using Oversight.Domain.Common;
using Oversight.Domain.Moc;

namespace Oversight.Domain.SendingOrganizations;

/// <summary>Registers a sending organization; the HTTP layer validates <see cref="Country"/> with <see cref="Countries.Validate"/>.</summary>
public sealed record RegisterSendingOrganization(Guid SendingOrganizationId, string Country, string Name, string? LicenceId);

public sealed record ReportUnderMoc(Guid ReportId, DateOnly ReportedOn, IReadOnlyList<MocReportReason> Reasons, string? Details);

public sealed record RecordSendingCountryResponse(Guid ReportId, DateOnly RespondedOn, SendingCountryResponse Response, string? Details);

public sealed record SuspendSendingOrganizationAcceptance(Period Period, string PublishedReason);

/// <summary>Sending organizations: MOC reports to their country's government, its responses, and acceptance suspensions.</summary>
public static class SendingOrganizationRules
{
    public static object[] Decide(SendingOrganization? state, RegisterSendingOrganization c)
    {
        if (state is not null) throw new RuleViolation("already-registered", $"Sending organization {c.SendingOrganizationId} is already registered.");
        if (string.IsNullOrWhiteSpace(c.Name)) throw new InvalidValue("name", "A name is required.");
        return [new SendingOrganizationRegistered(c.SendingOrganizationId, c.Country, c.Name.Trim(),
            string.IsNullOrWhiteSpace(c.LicenceId) ? null : c.LicenceId.Trim())];
    }

    /// <summary>A report is made under the memorandum with the organization's country: one must be in force on its date.</summary>
    public static object[] Decide(SendingOrganization? state, MocAgreement? moc, ReportUnderMoc c)
    {
        var sender = Existing(state);
        MocRules.EnsureInForce(moc, sender.Country, c.ReportedOn, "reportedOn");
        if (c.Reasons is not { Count: > 0 }) throw new InvalidValue("reasons", "At least one reason is required.");
        if (c.Reasons.Any(r => !Enum.IsDefined(r))) throw new InvalidValue("reasons", "Unknown reason.");
        if (c.Reasons.Distinct().Count() != c.Reasons.Count) throw new InvalidValue("reasons", "Each reason is given once.");
        if (sender.Reports.Any(r => r.Id == c.ReportId)) throw new RuleViolation("report-exists", $"Report {c.ReportId} is already recorded.", "reportId");
        return [new SendingOrganizationReportedUnderMoc(c.ReportId, c.ReportedOn, [.. c.Reasons], Trimmed(c.Details))];
    }

    /// <summary>Interim answers ("investigating") may come any number of times; one final answer closes the report.</summary>
    public static object[] Decide(SendingOrganization? state, RecordSendingCountryResponse c)
    {
        var sender = Existing(state);
        var report = sender.Reports.FirstOrDefault(r => r.Id == c.ReportId)
            ?? throw new RuleViolation("report-not-found", $"No MOC report {c.ReportId} for this sending organization.", "reportId");
        if (c.RespondedOn < report.ReportedOn)
            throw new RuleViolation("response-before-report", $"The report was made on {report.ReportedOn:yyyy-MM-dd}; a response cannot precede it.", "respondedOn");
        if (report.IsAnswered)
            throw new RuleViolation("report-already-answered", $"The sending country already answered report {c.ReportId}: {report.Responses.Last(r => r.IsFinal).Response}.", "response");
        return [new SendingCountryResponded(c.ReportId, c.RespondedOn, c.Response, Trimmed(c.Details))];
    }

    public static object[] Decide(SendingOrganization? state, SuspendSendingOrganizationAcceptance c)
    {
        var sender = Existing(state);
        if (string.IsNullOrWhiteSpace(c.PublishedReason)) throw new InvalidValue("reason", "A published reason is required.");
        if (sender.AcceptanceSuspensions.Any(p => p.Overlaps(c.Period)))
            throw new RuleViolation("suspension-overlaps", "An acceptance suspension already covers part of this period.", "from");
        return [new SendingOrganizationAcceptanceSuspended(c.Period.From, c.Period.To, c.PublishedReason.Trim())];
    }

    private static SendingOrganization Existing(SendingOrganization? state) => state ?? throw new RuleViolation("not-found", "No such sending organization.");

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
