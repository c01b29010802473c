using Oversight.Domain.Common;
using Oversight.Domain.CorrectionOrders;
using Oversight.Domain.ImplementingOrganizations;
using Oversight.Domain.Inspections;
using Oversight.Domain.LegalEntities;
using Oversight.Domain.SupervisingOrganizations;
using static Oversight.Domain.Tests.Spec;

namespace Oversight.Domain.Tests;

/// <summary>Acts are refused outside the period in which their subject exists and holds what they depend on, and out of order with related acts.</summary>
public sealed class CoherenceInTimeRuleTests
{
    private static readonly Guid SoId = Guid.Parse("0190a000-0000-7000-8000-000000000001");
    private static readonly Guid IoId = Guid.Parse("0190a000-0000-7000-8000-0000000000c1");
    private static readonly Guid InspectionId = Guid.Parse("0190a000-0000-7000-8000-0000000000e1");
    private static readonly Guid OrderId = Guid.Parse("0190a000-0000-7000-8000-0000000000f1");
    private static readonly CorporateNumber Corp = CorporateNumber.Parse("1180301018771");
    private static readonly LegalBasis Revocation = LegalBasis.For(Measure.PermitRevocation, "Art.37(1)(iv)");

    // The permit runs 2022-04-01 – 2025-03-31 (a 3-year Specified term).
    private static readonly SupervisingOrganizationRegistered SoRegistered =
        new(SoId, "許1708000404", "7000012050002", "Kanto Cooperative", "13", PermitCategory.Specified, D("2022-04-01"), D("2025-03-31"), Regime.Titp);

    private static SupervisingOrganization? So(params object[] more) => Given<SupervisingOrganization>(SupervisingOrganization.Evolve, [SoRegistered, .. more]);

    private static readonly ImplementingOrganizationRegistered IoRegistered = new(IoId, Corp.Value, "Sakura Foods", "23", "Food manufacturing", SoId, D("2023-01-10"));
    private static readonly TrainingPlanAccredited Plan = new("認1711001206", PlanType.No1, 3, "VN", null, D("2023-05-01"), D("2024-04-30"), Regime.Titp, D("2023-04-10"));

    private static ImplementingOrganization? Io(params object[] more) => Given<ImplementingOrganization>(ImplementingOrganization.Evolve, [IoRegistered, .. more]);

    // Supervising organizations: acts need the permit in force on their date.

    [Theory]
    [InlineData("2022-03-31", "permit-not-yet-in-force")]
    [InlineData("2025-04-01", "permit-lapsed")]
    public void A_permit_is_revoked_only_while_it_is_in_force(string effectiveOn, string code) =>
        Rejected(code, "effectiveOn", () => SupervisingOrganizationRules.Decide(So(), new RevokePermit(D(effectiveOn), Revocation, "Falsified reports")));

    [Fact]
    public void An_expired_permit_is_neither_suspended_downgraded_noticed_nor_abolished()
    {
        var general = Given<SupervisingOrganization>(SupervisingOrganization.Evolve,
            SoRegistered with { Category = PermitCategory.General, PermitTo = D("2027-03-31") })!;
        Rejected("permit-lapsed", "from", () => SupervisingOrganizationRules.Decide(So(),
            new SuspendBusiness(Period.Of(D("2025-04-01"), D("2025-06-30")), false, LegalBasis.For(Measure.BusinessSuspension, "Art.37(3)"), "x")));
        Rejected("permit-lapsed", "from", () => SupervisingOrganizationRules.Decide(So(), new SuspendAcceptance(Period.Of(D("2025-05-01"), D("2025-06-30")), "x")));
        Rejected("permit-lapsed", "effectiveOn", () => SupervisingOrganizationRules.Decide(general,
            new DowngradeCategory(D("2027-04-01"), new LegalBasis(37, 2, null), "x")));
        Rejected("permit-lapsed", "noticedOn", () => SupervisingOrganizationRules.Decide(So(), new NoticeRevocationHearing(D("2025-04-02"))));
        Rejected("permit-lapsed", "effectiveOn", () => SupervisingOrganizationRules.Decide(So(), new AbolishBusiness(D("2025-04-02"))));
        Rejected("permit-lapsed", "effectiveOn", () => SupervisingOrganizationRules.Decide(So(), new ChangeCategory(PermitCategory.General, D("2025-04-02"))));
    }

    [Fact]
    public void A_renewal_continues_the_permit_and_cannot_revive_one_that_ran_out()
    {
        Assert.Single(SupervisingOrganizationRules.Decide(So(), new RenewPermit(Period.Of(D("2025-04-01"), D("2028-03-31")), RatedExcellent: false)));
        Rejected("permit-lapsed", "permitFrom", () =>
            SupervisingOrganizationRules.Decide(So(), new RenewPermit(Period.Of(D("2025-04-02"), D("2028-03-31")), RatedExcellent: false)));
    }

    [Fact]
    public void An_unrenewed_permit_lapses_the_day_after_its_last_day_once_and_the_organization_ends()
    {
        Assert.Empty(SupervisingOrganizationRules.Decide(So(), new MarkPermitLapsed(D("2025-03-31"))));
        var lapsed = SupervisingOrganizationRules.Decide(So(), new MarkPermitLapsed(D("2025-04-01")));
        Then(lapsed, new PermitLapsed(D("2025-04-01")));
        var state = So(lapsed[0])!;
        Assert.Equal((PermitStatus.Lapsed, D("2025-04-01")), (state.Status, state.EndedOn));
        Assert.Empty(SupervisingOrganizationRules.Decide(state, new MarkPermitLapsed(D("2025-05-01"))));
        Rejected("organization-not-active", () => SupervisingOrganizationRules.Decide(state, new RevokePermit(D("2025-03-01"), Revocation, "x")));
        // A renewed permit does not lapse at the end of its first term.
        var renewed = So(new PermitRenewed(D("2025-04-01"), D("2028-03-31"), false));
        Assert.Empty(SupervisingOrganizationRules.Decide(renewed, new MarkPermitLapsed(D("2025-04-01"))));
    }

    // Implementing organizations: under a permitted supervisor, after their registration, plans before they are revoked.

    [Fact]
    public void An_implementing_organization_registers_only_under_a_supervisor_whose_permit_is_in_force()
    {
        var register = new RegisterImplementingOrganization(IoId, Corp, "Sakura Foods", "23", "Food manufacturing", SoId);
        Rejected("supervising-organization-not-permitted", "supervisingOrganizationId",
            () => ImplementingOrganizationRules.Decide(null, LegalEntity.None, So(), D("2022-03-01"), register));
        Rejected("supervising-organization-not-permitted", "supervisingOrganizationId",
            () => ImplementingOrganizationRules.Decide(null, LegalEntity.None, So(), D("2025-04-01"), register));
        Then(ImplementingOrganizationRules.Decide(null, LegalEntity.None, So(), D("2023-01-10"), register), IoRegistered);
    }

    [Fact]
    public void A_plan_is_accredited_after_the_registration_before_it_starts_and_while_the_supervisor_is_permitted()
    {
        AccreditTrainingPlan Accredit(string from = "2023-05-01", string to = "2024-04-30") =>
            new("認1711001206", PlanType.No1, 3, "VN", null, Period.Of(D(from), D(to)));
        object[] On(string accreditedOn, AccreditTrainingPlan c) => ImplementingOrganizationRules.Decide(Io(), LegalEntity.None, So(), null, null, D(accreditedOn), c);

        Rejected("before-registration", "accreditedOn", () => On("2023-01-09", Accredit()));
        Rejected("plan-starts-before-accreditation", "from", () => On("2023-05-02", Accredit()));
        Rejected("supervising-organization-not-permitted", () => On("2025-04-01", Accredit("2025-05-01", "2026-04-30")));
        Then(On("2023-04-10", Accredit()), Plan);
    }

    [Fact]
    public void Acts_on_an_implementing_organization_cannot_precede_its_registration()
    {
        Rejected("before-registration", "reportedOn", () => ImplementingOrganizationRules.Decide(Io(), new ReportTraineeDisappearance(1, D("2023-01-09"), null)));
        Rejected("before-registration", "from", () => ImplementingOrganizationRules.Decide(Io(),
            new SuspendImplementingOrganizationAcceptance(Period.Of(D("2023-01-01"), D("2023-06-30")), "x")));
        Rejected("before-registration", "effectiveOn", () => ImplementingOrganizationRules.Decide(Io(Plan),
            new RevokePlanAccreditations(D("2023-01-09"), null, LegalBasis.For(Measure.PlanRevocation, "Art.16(1)(iv)"), "x")));
        Rejected("before-registration", "effectiveOn", () => ImplementingOrganizationRules.Decide(Io(),
            So()! with { Id = Guid.Parse("0190a000-0000-7000-8000-000000000002") },
            new ChangeSupervisingOrganization(Guid.Parse("0190a000-0000-7000-8000-000000000002"), D("2023-01-09"))));
    }

    [Fact]
    public void A_plan_is_revoked_after_its_accreditation_and_its_trainees_disappear_after_it_starts()
    {
        Rejected("revoked-before-accreditation", "effectiveOn", () => ImplementingOrganizationRules.Decide(Io(Plan),
            new RevokePlanAccreditations(D("2023-04-09"), [Plan.PlanNumber], LegalBasis.For(Measure.PlanRevocation, "Art.16(1)(iv)"), "x")));
        Rejected("reported-before-plan-start", "reportedOn", () => ImplementingOrganizationRules.Decide(Io(Plan),
            new ReportTraineeDisappearance(1, D("2023-04-30"), Plan.PlanNumber)));
        Assert.Single(ImplementingOrganizationRules.Decide(Io(Plan), new ReportTraineeDisappearance(1, D("2023-05-01"), Plan.PlanNumber)));
    }

    [Fact]
    public void A_new_supervisor_must_hold_its_permit_on_the_effective_date()
    {
        var other = So()! with { Id = Guid.Parse("0190a000-0000-7000-8000-000000000002") };
        Rejected("supervising-organization-not-permitted", "supervisingOrganizationId",
            () => ImplementingOrganizationRules.Decide(Io(), other, new ChangeSupervisingOrganization(other.Id, D("2025-04-01"))));
    }

    // Inspections and orders: after the organization began, in the order of their steps.

    [Fact]
    public void An_inspection_is_scheduled_after_the_organization_began_and_starts_no_earlier_than_scheduled()
    {
        var schedule = new ScheduleInspection(InspectionId, IoId, OrganizationType.ImplementingOrganization, InspectionKind.Regular, D("2023-01-09"), "inspector-7");
        Rejected("before-registration", "scheduledOn", () => InspectionRules.Decide(null, true, D("2023-01-10"), schedule));
        var scheduled = InspectionRules.Decide(null, true, D("2023-01-10"), schedule with { ScheduledOn = D("2023-06-01") });
        var state = Given<Inspection>(Inspection.Evolve, scheduled);
        Rejected("started-before-scheduled", "startedOn", () => InspectionRules.Decide(state, new StartInspection(D("2023-05-31"))));
        var started = Inspection.Evolve(state, InspectionRules.Decide(state, new StartInspection(D("2023-06-01")))[0]);
        Rejected("cancelled-before-start", "cancelledOn", () => InspectionRules.Decide(started, new CancelInspection(D("2023-05-31"), "Flooded")));
    }

    [Fact]
    public void An_order_follows_the_inspection_it_cites_and_the_organizations_beginning()
    {
        var inspection = Given<Inspection>(Inspection.Evolve,
            new InspectionScheduled(InspectionId, IoId, OrganizationType.ImplementingOrganization, InspectionKind.Regular, D("2023-06-01"), "inspector-7"),
            new InspectionStarted(D("2023-06-02")))!;
        IssueCorrectionOrder Issue(string issuedOn, Guid? inspectionId) => new(OrderId, IoId, OrganizationType.ImplementingOrganization, inspectionId,
            CorrectionIssuer.Otit, CorrectionOrderKind.Guidance, D(issuedOn), D(issuedOn).AddDays(30), [], null, null);

        Rejected("issued-before-inspection", "issuedOn", () => CorrectionOrderRules.Decide(null, true, D("2023-01-10"), inspection, Issue("2023-06-01", InspectionId)));
        Rejected("before-registration", "issuedOn", () => CorrectionOrderRules.Decide(null, true, D("2023-01-10"), null, Issue("2023-01-09", null)));
        Assert.Single(CorrectionOrderRules.Decide(null, true, D("2023-01-10"), inspection, Issue("2023-06-02", InspectionId)));
    }
}
