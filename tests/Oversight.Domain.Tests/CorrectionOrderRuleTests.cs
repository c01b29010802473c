using Oversight.Domain.Common;
using Oversight.Domain.CorrectionOrders;
using Oversight.Domain.Inspections;
using static Oversight.Domain.Tests.Spec;

namespace Oversight.Domain.Tests;

public sealed class CorrectionOrderRuleTests
{
    private static readonly Guid Id = Guid.Parse("0190a000-0000-7000-8000-0000000000e1");
    private static readonly Guid Org = Guid.Parse("0190a000-0000-7000-8000-0000000000b1");
    private static readonly Guid InspectionId = Guid.Parse("0190a000-0000-7000-8000-0000000000a1");
    private static readonly Guid F1 = Guid.Parse("0190a000-0000-7000-8000-0000000000f1");
    private static readonly Guid F2 = Guid.Parse("0190a000-0000-7000-8000-0000000000f2");

    private static readonly Inspection Inspected = Given<Inspection>(Inspection.Evolve,
        new InspectionScheduled(InspectionId, Org, OrganizationType.ImplementingOrganization, InspectionKind.Regular, D("2023-06-01"), "inspector-7"),
        new InspectionStarted(D("2023-06-01")),
        new FindingRecorded(F1, FindingCategory.UnpaidWages, Severity.High, "Art.16(1)(iv)", 4, D("2023-06-01"), "Overtime unpaid."),
        new FindingRecorded(F2, FindingCategory.RecordKeeping, Severity.Low, null, 0, D("2023-06-01"), "Ledger incomplete."),
        new FindingRetracted(F2, "Ledger found."),
        new InspectionCompleted(D("2023-06-02"), InspectionOutcome.ReferredForSanction))!;

    private static readonly CorrectionOrderIssued Issued = new(Id, Org, OrganizationType.ImplementingOrganization, InspectionId, CorrectionIssuer.Ministers,
        CorrectionOrderKind.ImprovementOrder, D("2023-07-01"), D("2023-08-31"), [F1], "Art.15(1)", "Unpaid overtime to four trainees");

    private static readonly CorrectionReported Reported = new(D("2023-08-20"), "Wages paid with interest");

    private static CorrectionOrder? Given(params object[] events) => Spec.Given<CorrectionOrder>(CorrectionOrder.Evolve, events);

    private static IssueCorrectionOrder Issue(CorrectionOrderKind kind = CorrectionOrderKind.ImprovementOrder, CorrectionIssuer issuer = CorrectionIssuer.Ministers,
        string dueOn = "2023-08-31", Guid[]? findings = null, Guid? inspection = null, string? basis = "Art.15(1)", string? reason = " Unpaid overtime to four trainees ",
        OrganizationType type = OrganizationType.ImplementingOrganization) =>
        new(Id, Org, type, inspection ?? InspectionId, issuer, kind, D("2023-07-01"), D(dueOn), findings ?? [F1],
            basis is null ? null : LegalBasis.For(type == OrganizationType.ImplementingOrganization ? Measure.ImprovementOrderImplementing : Measure.ImprovementOrderSupervising, basis),
            reason);

    private static object[] Issuing(IssueCorrectionOrder c, Inspection? inspection = null, bool active = true) =>
        CorrectionOrderRules.Decide(null, active, null, inspection ?? Inspected, c);

    // Issue

    [Fact]
    public void Issuing_an_improvement_order_on_an_inspections_findings()
    {
        Then(Issuing(Issue()), Issued);
        var order = Given(Issued)!;
        Assert.Equal(CorrectionOrderStatus.Open, order.Status);
        Assert.False(order.IsOverdueOn(D("2023-08-31")));
        Assert.True(order.IsOverdueOn(D("2023-09-01")));
    }

    [Fact]
    public void Guidance_needs_neither_a_legal_basis_nor_a_published_reason_nor_an_inspection()
    {
        var c = Issue(CorrectionOrderKind.Guidance, CorrectionIssuer.Otit, findings: [], basis: null, reason: null) with { InspectionId = null };
        Then(CorrectionOrderRules.Decide(null, true, null, null, c), new CorrectionOrderIssued(Id, Org, OrganizationType.ImplementingOrganization, null,
            CorrectionIssuer.Otit, CorrectionOrderKind.Guidance, D("2023-07-01"), D("2023-08-31"), [], null, null));
    }

    [Theory]
    [InlineData("2023-07-01")]
    [InlineData("2023-06-30")]
    public void The_due_date_comes_after_the_issue_date(string dueOn) =>
        Rejected("due-before-issue", "dueOn", () => Issuing(Issue(dueOn: dueOn)));

    [Fact]
    public void An_improvement_order_states_its_legal_basis_for_the_organizations_type_and_a_published_reason()
    {
        Rejected("legal-basis-required", "legalBasis", () => Issuing(Issue(basis: null)));
        Rejected("published-reason-required", "reason", () => Issuing(Issue(reason: " ")));
        var wrongArticle = Issue() with { LegalBasis = LegalBasis.For(Measure.ImprovementOrderSupervising, "Art.36") };
        Rejected("legal-basis-not-applicable", "legalBasis", () => Issuing(wrongArticle));
    }

    [Fact]
    public void Labour_standards_offices_issue_correction_recommendations_and_only_they_do()
    {
        Rejected("issuer-not-competent", "issuer", () => Issuing(Issue(CorrectionOrderKind.ImprovementOrder, CorrectionIssuer.LabourStandardsOffice)));
        Rejected("issuer-not-competent", "issuer", () => Issuing(Issue(CorrectionOrderKind.LabourStandardsCorrection, CorrectionIssuer.Otit, basis: null)));
        Assert.Single(Issuing(Issue(CorrectionOrderKind.LabourStandardsCorrection, CorrectionIssuer.LabourStandardsOffice, basis: null, reason: null)));
    }

    [Fact]
    public void Findings_are_standing_findings_of_the_named_inspection_of_the_same_organization()
    {
        Rejected("finding-not-found", "findingIds", () => Issuing(Issue(findings: [F1, F2]))); // F2 was retracted
        Rejected("finding-not-found", "findingIds", () => Issuing(Issue(findings: [Guid.NewGuid()])));
        Invalid("findingIds", () => Issuing(Issue(findings: [F1, F1])));
        Rejected("inspection-not-found", "inspectionId", () => CorrectionOrderRules.Decide(null, true, null, null, Issue()));
        var ofSo = Issue(basis: "Art.36", type: OrganizationType.SupervisingOrganization);
        Rejected("inspection-of-other-organization", "inspectionId", () => Issuing(ofSo));
        Rejected("findings-without-inspection", "findingIds", () => CorrectionOrderRules.Decide(null, true, null, null, Issue() with { InspectionId = null }));
    }

    [Fact]
    public void Orders_go_to_active_organizations_once()
    {
        Rejected("organization-not-active", "organizationId", () => Issuing(Issue(), active: false));
        Rejected("already-issued", () => CorrectionOrderRules.Decide(Given(Issued), true, null, Inspected, Issue()));
    }

    // Report, verify, reject

    [Fact]
    public void Report_reject_report_verify()
    {
        Then(CorrectionOrderRules.Decide(Given(Issued), new ReportCorrection(D("2023-08-20"), " Wages paid with interest ")), Reported);
        Assert.Equal(CorrectionOrderStatus.Reported, Given(Issued, Reported)!.Status);

        var rejected = new CorrectionRejected(D("2023-08-25"), "Two trainees still unpaid");
        Then(CorrectionOrderRules.Decide(Given(Issued, Reported), new RejectCorrection(D("2023-08-25"), " Two trainees still unpaid ")), rejected);
        Assert.Equal(CorrectionOrderStatus.Open, Given(Issued, Reported, rejected)!.Status);

        var again = new CorrectionReported(D("2023-08-30"), "All four paid");
        Then(CorrectionOrderRules.Decide(Given(Issued, Reported, rejected), new ReportCorrection(D("2023-08-30"), "All four paid")), again);

        var verified = new CorrectionVerified(D("2023-09-05"));
        Then(CorrectionOrderRules.Decide(Given(Issued, Reported, rejected, again), new VerifyCorrection(D("2023-09-05"))), verified);
        var done = Given(Issued, Reported, rejected, again, verified)!;
        Assert.Equal(CorrectionOrderStatus.Verified, done.Status);
        Assert.False(done.IsOverdueOn(D("2023-12-31")));
    }

    [Fact]
    public void A_correction_is_reported_on_an_open_order_not_before_its_issue()
    {
        Rejected("reported-before-issue", "reportedOn", () => CorrectionOrderRules.Decide(Given(Issued), new ReportCorrection(D("2023-06-30"), "x")));
        Invalid("summary", () => CorrectionOrderRules.Decide(Given(Issued), new ReportCorrection(D("2023-08-20"), " ")));
        Rejected("order-not-open", () => CorrectionOrderRules.Decide(Given(Issued, Reported), new ReportCorrection(D("2023-08-21"), "again")));
        Rejected("not-found", () => CorrectionOrderRules.Decide(null, new ReportCorrection(D("2023-08-21"), "x")));
    }

    [Fact]
    public void Only_a_reported_correction_is_verified_or_rejected_and_not_before_the_report()
    {
        Rejected("not-reported", () => CorrectionOrderRules.Decide(Given(Issued), new VerifyCorrection(D("2023-08-25"))));
        Rejected("not-reported", () => CorrectionOrderRules.Decide(Given(Issued), new RejectCorrection(D("2023-08-25"), "x")));
        Rejected("verified-before-report", "verifiedOn", () => CorrectionOrderRules.Decide(Given(Issued, Reported), new VerifyCorrection(D("2023-08-19"))));
        Rejected("rejected-before-report", "rejectedOn", () => CorrectionOrderRules.Decide(Given(Issued, Reported), new RejectCorrection(D("2023-08-19"), "x")));
        Invalid("reason", () => CorrectionOrderRules.Decide(Given(Issued, Reported), new RejectCorrection(D("2023-08-25"), "")));
    }

    // Overdue

    [Fact]
    public void Marking_overdue_is_idempotent()
    {
        Assert.Empty(CorrectionOrderRules.Decide(Given(Issued), new MarkOverdue(D("2023-08-31"))));
        var overdue = new CorrectionOrderOverdue(D("2023-08-31"), D("2023-09-01"));
        Then(CorrectionOrderRules.Decide(Given(Issued), new MarkOverdue(D("2023-09-01"))), overdue);
        Assert.Empty(CorrectionOrderRules.Decide(Given(Issued, overdue), new MarkOverdue(D("2023-09-01"))));
        Assert.Empty(CorrectionOrderRules.Decide(Given(Issued, overdue), new MarkOverdue(D("2023-10-01"))));
        Assert.True(Given(Issued, overdue)!.IsOverdueOn(D("2023-10-01")));
    }

    [Fact]
    public void Verified_or_escalated_orders_are_never_overdue_but_unverified_reports_are()
    {
        Assert.Empty(CorrectionOrderRules.Decide(Given(Issued, Reported, new CorrectionVerified(D("2023-08-25"))), new MarkOverdue(D("2023-09-01"))));
        Assert.Empty(CorrectionOrderRules.Decide(Given(Issued, new CorrectionOrderEscalated(D("2023-08-25"), "PlanRevocation", "x")), new MarkOverdue(D("2023-09-01"))));
        Assert.Single(CorrectionOrderRules.Decide(Given(Issued, Reported), new MarkOverdue(D("2023-09-01"))));
    }

    // Escalation

    [Fact]
    public void Escalating_an_unverified_order_up_the_ladder()
    {
        var escalated = new CorrectionOrderEscalated(D("2023-09-10"), "PlanRevocation", "Order not complied with");
        Then(CorrectionOrderRules.Decide(Given(Issued), new EscalateCorrectionOrder(D("2023-09-10"), " PlanRevocation ", " Order not complied with ")), escalated);
        var state = Given(Issued, escalated)!;
        Assert.Equal((CorrectionOrderStatus.Escalated, "PlanRevocation"), (state.Status, state.EscalatedTo));
        Rejected("already-escalated", () => CorrectionOrderRules.Decide(state, new EscalateCorrectionOrder(D("2023-09-11"), "PlanRevocation", "x")));
    }

    [Fact]
    public void A_verified_order_is_not_escalated_and_an_escalation_needs_a_measure_a_reason_and_a_date_after_issue()
    {
        Rejected("order-verified", () => CorrectionOrderRules.Decide(Given(Issued, Reported, new CorrectionVerified(D("2023-08-25"))),
            new EscalateCorrectionOrder(D("2023-09-10"), "PlanRevocation", "x")));
        Rejected("escalated-before-issue", "escalatedOn", () => CorrectionOrderRules.Decide(Given(Issued), new EscalateCorrectionOrder(D("2023-06-30"), "PlanRevocation", "x")));
        Invalid("to", () => CorrectionOrderRules.Decide(Given(Issued), new EscalateCorrectionOrder(D("2023-09-10"), " ", "x")));
        Invalid("reason", () => CorrectionOrderRules.Decide(Given(Issued), new EscalateCorrectionOrder(D("2023-09-10"), "PlanRevocation", "")));
        Assert.Single(CorrectionOrderRules.Decide(Given(Issued, Reported), new EscalateCorrectionOrder(D("2023-09-10"), "PlanRevocation", "x")));
    }
}
