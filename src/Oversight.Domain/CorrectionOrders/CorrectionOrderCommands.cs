using Oversight.Domain.Common;
using Oversight.Domain.Inspections;

namespace Oversight.Domain.CorrectionOrders;

/// <summary>
/// Issues an order. <see cref="LegalBasis"/> is parsed by the HTTP layer for the organization's type
/// (<see cref="Measure.ImprovementOrderSupervising"/> or <see cref="Measure.ImprovementOrderImplementing"/>).
/// </summary>
public sealed record IssueCorrectionOrder(Guid OrderId, Guid OrganizationId, OrganizationType OrganizationType, Guid? InspectionId,
    CorrectionIssuer Issuer, CorrectionOrderKind Kind, DateOnly IssuedOn, DateOnly DueOn, IReadOnlyList<Guid> FindingIds, LegalBasis? LegalBasis,
    string? PublishedReason);

public sealed record ReportCorrection(DateOnly ReportedOn, string Summary);

public sealed record VerifyCorrection(DateOnly VerifiedOn);

public sealed record RejectCorrection(DateOnly RejectedOn, string Reason);

/// <summary>Sent by the scheduled handler with its business date.</summary>
public sealed record MarkOverdue(DateOnly Today);

public sealed record EscalateCorrectionOrder(DateOnly EscalatedOn, string To, string Reason);

/// <summary>Issue → report → verify, or reject and report again; overdue when the due date passes; escalation up the ladder.</summary>
public static class CorrectionOrderRules
{
    /// <summary>
    /// <paramref name="organizationActive"/>: the target is neither revoked, abolished nor lapsed; <paramref name="organizationSince"/>: when it
    /// began (permit start, registration), if known. <paramref name="inspection"/>: the one named by the command, if any (null when not found).
    /// </summary>
    public static object[] Decide(CorrectionOrder? state, bool organizationActive, DateOnly? organizationSince, Inspection? inspection, IssueCorrectionOrder c)
    {
        if (state is not null) throw new RuleViolation("already-issued", $"Correction order {c.OrderId} already exists.");
        if (!organizationActive)
            throw new RuleViolation("organization-not-active", "The organization's permit or accreditations were revoked or its business abolished.", "organizationId");
        if (organizationSince is { } since && c.IssuedOn < since)
            throw new RuleViolation("before-registration", $"The organization exists from {since:yyyy-MM-dd}: no order to it is issued on {c.IssuedOn:yyyy-MM-dd}.", "issuedOn");
        if (c.DueOn <= c.IssuedOn)
            throw new RuleViolation("due-before-issue", $"The due date must come after the issue date ({c.IssuedOn:yyyy-MM-dd}).", "dueOn");
        // Labour Standards Inspection Offices issue their own correction recommendations, and only those.
        if ((c.Issuer == CorrectionIssuer.LabourStandardsOffice) != (c.Kind == CorrectionOrderKind.LabourStandardsCorrection))
            throw new RuleViolation("issuer-not-competent", $"{c.Issuer} does not issue a {c.Kind}.", "issuer");
        if (c.Kind == CorrectionOrderKind.ImprovementOrder)
        {
            if (c.LegalBasis is null)
                throw new RuleViolation("legal-basis-required", "An improvement order states its legal basis (Art.15 or Art.36).", "legalBasis");
            var article = c.OrganizationType == OrganizationType.SupervisingOrganization ? 36 : 15;
            if (c.LegalBasis.Article != article)
                throw new RuleViolation("legal-basis-not-applicable", $"An improvement order to this organization rests on Art.{article}, not {c.LegalBasis}.", "legalBasis");
            if (string.IsNullOrWhiteSpace(c.PublishedReason))
                throw new RuleViolation("published-reason-required", "Improvement orders are published (Art.15(2)): a published reason is required.", "reason");
        }

        var findings = c.FindingIds ?? [];
        if (findings.Distinct().Count() != findings.Count) throw new InvalidValue("findingIds", "Each finding is named once.");
        if (c.InspectionId is { } inspectionId)
        {
            if (inspection is null) throw new RuleViolation("inspection-not-found", $"No inspection {inspectionId}.", "inspectionId");
            if (inspection.Id != inspectionId) throw new ArgumentException("The inspection passed is not the one named.", nameof(inspection));
            if (inspection.OrganizationId != c.OrganizationId || inspection.OrganizationType != c.OrganizationType)
                throw new RuleViolation("inspection-of-other-organization", "The inspection was of another organization.", "inspectionId");
            var inspected = inspection.StartedOn ?? inspection.ScheduledOn;
            if (c.IssuedOn < inspected)
                throw new RuleViolation("issued-before-inspection", $"The inspection it follows began on {inspected:yyyy-MM-dd}.", "issuedOn");
            foreach (var id in findings)
            {
                if (!inspection.Findings.Any(f => f.Id == id && !f.Retracted))
                    throw new RuleViolation("finding-not-found", $"{id} is not a standing (unretracted) finding of inspection {inspectionId}.", "findingIds");
            }
        }
        else if (findings.Count > 0)
        {
            throw new RuleViolation("findings-without-inspection", "Findings are cited from an inspection: name the inspection.", "findingIds");
        }

        return [new CorrectionOrderIssued(c.OrderId, c.OrganizationId, c.OrganizationType, c.InspectionId, c.Issuer, c.Kind, c.IssuedOn, c.DueOn,
            [.. findings], c.LegalBasis?.ToString(), string.IsNullOrWhiteSpace(c.PublishedReason) ? null : c.PublishedReason.Trim())];
    }

    public static object[] Decide(CorrectionOrder? state, ReportCorrection c)
    {
        var order = Existing(state);
        if (order.Status != CorrectionOrderStatus.Open)
            throw new RuleViolation("order-not-open", $"The order is {Describe(order.Status)}; a correction is reported on an open order.");
        if (c.ReportedOn < order.IssuedOn)
            throw new RuleViolation("reported-before-issue", $"The order was issued on {order.IssuedOn:yyyy-MM-dd}.", "reportedOn");
        if (string.IsNullOrWhiteSpace(c.Summary)) throw new InvalidValue("summary", "A summary of the correction is required.");
        return [new CorrectionReported(c.ReportedOn, c.Summary.Trim())];
    }

    public static object[] Decide(CorrectionOrder? state, VerifyCorrection c)
    {
        var order = Reported(state);
        if (c.VerifiedOn < order.ReportedOn)
            throw new RuleViolation("verified-before-report", $"The correction was reported on {order.ReportedOn:yyyy-MM-dd}.", "verifiedOn");
        return [new CorrectionVerified(c.VerifiedOn)];
    }

    public static object[] Decide(CorrectionOrder? state, RejectCorrection c)
    {
        var order = Reported(state);
        if (c.RejectedOn < order.ReportedOn)
            throw new RuleViolation("rejected-before-report", $"The correction was reported on {order.ReportedOn:yyyy-MM-dd}.", "rejectedOn");
        if (string.IsNullOrWhiteSpace(c.Reason)) throw new InvalidValue("reason", "A rejection needs a reason.");
        return [new CorrectionRejected(c.RejectedOn, c.Reason.Trim())];
    }

    /// <summary>Idempotent: the scheduled handler may run any number of times; an order is marked once per due date.</summary>
    public static object[] Decide(CorrectionOrder? state, MarkOverdue c)
    {
        var order = Existing(state);
        if (!order.IsOverdueOn(c.Today) || order.OverdueMarkedFor == order.DueOn) return [];
        return [new CorrectionOrderOverdue(order.DueOn, c.Today)];
    }

    public static object[] Decide(CorrectionOrder? state, EscalateCorrectionOrder c)
    {
        var order = Existing(state);
        if (order.Status == CorrectionOrderStatus.Verified)
            throw new RuleViolation("order-verified", $"The correction was verified on {order.VerifiedOn:yyyy-MM-dd}: nothing to escalate.");
        if (order.Status == CorrectionOrderStatus.Escalated)
            throw new RuleViolation("already-escalated", $"The order was already escalated to {order.EscalatedTo} on {order.EscalatedOn:yyyy-MM-dd}.");
        if (c.EscalatedOn < order.IssuedOn)
            throw new RuleViolation("escalated-before-issue", $"The order was issued on {order.IssuedOn:yyyy-MM-dd}.", "escalatedOn");
        if (string.IsNullOrWhiteSpace(c.To)) throw new InvalidValue("to", "Name the measure escalated to.");
        if (string.IsNullOrWhiteSpace(c.Reason)) throw new InvalidValue("reason", "An escalation needs a reason.");
        return [new CorrectionOrderEscalated(c.EscalatedOn, c.To.Trim(), c.Reason.Trim())];
    }

    private static CorrectionOrder Existing(CorrectionOrder? state) => state ?? throw new RuleViolation("not-found", "No such correction order.");

    private static CorrectionOrder Reported(CorrectionOrder? state)
    {
        var order = Existing(state);
        if (order.Status != CorrectionOrderStatus.Reported)
            throw new RuleViolation("not-reported", $"The order is {Describe(order.Status)}; only a reported correction is verified or rejected.");
        return order;
    }

    private static string Describe(CorrectionOrderStatus status) => status.ToString().ToLowerInvariant();
}
