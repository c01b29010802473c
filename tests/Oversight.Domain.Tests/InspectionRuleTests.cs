using Oversight.Domain.Inspections;
using static Oversight.Domain.Tests.Spec;

namespace Oversight.Domain.Tests;

public sealed class InspectionRuleTests
{
    private static readonly Guid Id = Guid.Parse("0190a000-0000-7000-8000-0000000000a1");
    private static readonly Guid Org = Guid.Parse("0190a000-0000-7000-8000-0000000000b1");
    private static readonly Guid F1 = Guid.Parse("0190a000-0000-7000-8000-0000000000f1");

    private static readonly InspectionScheduled Scheduled = new(Id, Org, OrganizationType.ImplementingOrganization, InspectionKind.Unannounced, D("2023-06-01"), "inspector-7");
    private static readonly InspectionStarted Started = new(D("2023-06-01"));
    private static readonly FindingRecorded Wages = new(F1, FindingCategory.UnpaidWages, Severity.High, "Art.16(1)(iv)", 4, D("2023-06-01"), "Overtime unpaid since March.");

    private static Inspection? Given(params object[] events) => Spec.Given<Inspection>(Inspection.Evolve, events);

    private static RecordFinding Record(Guid id, string observedOn = "2023-06-01") =>
        new(id, FindingCategory.UnpaidWages, Severity.High, "Art.16(1)(iv)", 4, D(observedOn), " Overtime unpaid since March. ");

    [Fact]
    public void The_lifecycle_schedule_start_finding_complete()
    {
        Then(InspectionRules.Decide(null, true, null, new ScheduleInspection(Id, Org, OrganizationType.ImplementingOrganization, InspectionKind.Unannounced, D("2023-06-01"), "inspector-7")), Scheduled);
        Then(InspectionRules.Decide(Given(Scheduled), new StartInspection(D("2023-06-01"))), Started);
        Then(InspectionRules.Decide(Given(Scheduled, Started), Record(F1)), Wages);
        Then(InspectionRules.Decide(Given(Scheduled, Started, Wages), new CompleteInspection(D("2023-06-02"), InspectionOutcome.ImprovementRecommendation)),
            new InspectionCompleted(D("2023-06-02"), InspectionOutcome.ImprovementRecommendation));
        Assert.True(Given(Scheduled, Started, Wages)!.Findings.Single().IsTraffickingIndicator);
    }

    [Fact]
    public void An_organization_whose_permit_or_accreditations_are_revoked_is_not_inspected_as_normal() =>
        Rejected("organization-not-active", () => InspectionRules.Decide(null, false, null,
            new ScheduleInspection(Id, Org, OrganizationType.ImplementingOrganization, InspectionKind.Regular, D("2023-06-01"), "inspector-7")));

    [Fact]
    public void No_findings_before_the_start_or_after_completion()
    {
        Rejected("inspection-not-started", () => InspectionRules.Decide(Given(Scheduled), Record(F1)));
        Rejected("observed-before-start", () => InspectionRules.Decide(Given(Scheduled, Started), Record(F1, "2023-05-31")));
        Rejected("inspection-completed", () => InspectionRules.Decide(
            Given(Scheduled, Started, new InspectionCompleted(D("2023-06-02"), InspectionOutcome.NoIssues)), Record(Guid.NewGuid())));
    }

    [Fact]
    public void A_finding_is_recorded_once() =>
        Rejected("finding-exists", () => InspectionRules.Decide(Given(Scheduled, Started, Wages), Record(F1)));

    [Fact]
    public void A_retraction_is_a_new_event_with_a_reason_and_the_finding_stays_in_the_record()
    {
        var retracted = new FindingRetracted(F1, "Wages were paid; the ledger was misread.");
        Then(InspectionRules.Decide(Given(Scheduled, Started, Wages), new RetractFinding(F1, " Wages were paid; the ledger was misread. ")), retracted);
        var state = Given(Scheduled, Started, Wages, retracted)!;
        Assert.True(state.Findings.Single().Retracted);
        Rejected("finding-retracted", () => InspectionRules.Decide(state, new RetractFinding(F1, "again")));
        Rejected("finding-not-found", () => InspectionRules.Decide(state, new RetractFinding(Guid.NewGuid(), "x")));
        Invalid("reason", () => InspectionRules.Decide(Given(Scheduled, Started, Wages), new RetractFinding(F1, " ")));
        // With the finding retracted, "no issues" is a consistent outcome.
        Assert.Single(InspectionRules.Decide(state, new CompleteInspection(D("2023-06-02"), InspectionOutcome.NoIssues)));
    }

    [Fact]
    public void The_outcome_cannot_contradict_standing_findings() =>
        Rejected("outcome-contradicts-findings", () => InspectionRules.Decide(Given(Scheduled, Started, Wages), new CompleteInspection(D("2023-06-02"), InspectionOutcome.NoIssues)));

    [Fact]
    public void Only_a_scheduled_inspection_starts_and_only_one_in_progress_completes()
    {
        Rejected("not-scheduled", () => InspectionRules.Decide(Given(Scheduled, Started), new StartInspection(D("2023-06-02"))));
        Rejected("inspection-not-started", () => InspectionRules.Decide(Given(Scheduled), new CompleteInspection(D("2023-06-02"), InspectionOutcome.NoIssues)));
        Rejected("completed-before-start", () => InspectionRules.Decide(Given(Scheduled, Started), new CompleteInspection(D("2023-05-30"), InspectionOutcome.NoIssues)));
        Rejected("not-found", () => InspectionRules.Decide(null, new StartInspection(D("2023-06-02"))));
    }

    [Fact]
    public void A_scheduled_or_running_inspection_can_be_cancelled_with_a_reason()
    {
        var cancelled = new InspectionCancelled(D("2023-05-30"), "Organization closed for the season");
        Then(InspectionRules.Decide(Given(Scheduled), new CancelInspection(D("2023-05-30"), " Organization closed for the season ")), cancelled);
        Assert.Equal(InspectionStatus.Cancelled, Given(Scheduled, cancelled)!.Status);
        Assert.Single(InspectionRules.Decide(Given(Scheduled, Started, Wages), new CancelInspection(D("2023-06-01"), "Inspector fell ill")));
        Invalid("reason", () => InspectionRules.Decide(Given(Scheduled), new CancelInspection(D("2023-05-30"), " ")));
    }

    [Fact]
    public void A_completed_or_cancelled_inspection_cannot_be_cancelled()
    {
        Rejected("inspection-not-cancellable", () => InspectionRules.Decide(
            Given(Scheduled, Started, new InspectionCompleted(D("2023-06-02"), InspectionOutcome.NoIssues)), new CancelInspection(D("2023-06-03"), "x")));
        Rejected("inspection-not-cancellable", () => InspectionRules.Decide(
            Given(Scheduled, new InspectionCancelled(D("2023-05-30"), "x")), new CancelInspection(D("2023-05-31"), "x")));
        Rejected("not-found", () => InspectionRules.Decide(null, new CancelInspection(D("2023-05-31"), "x")));
    }
}
