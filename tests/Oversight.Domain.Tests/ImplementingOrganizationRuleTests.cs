using Oversight.Domain.Common;
using Oversight.Domain.ImplementingOrganizations;
using Oversight.Domain.LegalEntities;
using Oversight.Domain.Moc;
using Oversight.Domain.SendingOrganizations;
using Oversight.Domain.SupervisingOrganizations;
using static Oversight.Domain.Tests.Spec;

namespace Oversight.Domain.Tests;

public sealed class ImplementingOrganizationRuleTests
{
    private static readonly Guid Id = Guid.Parse("0190a000-0000-7000-8000-0000000000c1");
    private static readonly Guid SoId = Guid.Parse("0190a000-0000-7000-8000-000000000001");
    private static readonly Guid OtherSoId = Guid.Parse("0190a000-0000-7000-8000-000000000002");
    private static readonly Guid SenderId = Guid.Parse("0190a000-0000-7000-8000-0000000000d1");
    private static readonly CorporateNumber Corp = CorporateNumber.Parse("1180301018771");
    private static readonly DateOnly Today = D("2023-04-10");
    private static readonly MocAgreement VietNam =
        MocAgreement.Evolve(null, new MocSigned(Guid.Parse("0190a000-0000-7000-8000-0000000000a1"), "VN", D("2017-06-06"), D("2017-11-01"), null))!;

    private static SupervisingOrganization Supervisor(Guid? id = null, PermitCategory category = PermitCategory.General, params object[] more) =>
        Given<SupervisingOrganization>(SupervisingOrganization.Evolve, [
            new SupervisingOrganizationRegistered(id ?? SoId, "許1708000404", "7000012050002", "Kanto Cooperative", "13", category,
                D("2022-04-01"), D("2027-03-31"), Regime.Titp), .. more])!;

    private static readonly SupervisingOrganization General = Supervisor();
    private static readonly SupervisingOrganization Specified = Supervisor(category: PermitCategory.Specified);

    private static SendingOrganization Sender(params object[] more) =>
        Given<SendingOrganization>(SendingOrganization.Evolve, [new SendingOrganizationRegistered(SenderId, "VN", "Hanoi Manpower JSC", "LIC-001"), .. more])!;

    private static readonly ImplementingOrganizationRegistered Registered = new(Id, Corp.Value, "Sakura Foods", "23", "Food manufacturing", SoId, D("2023-04-01"));
    private static readonly TrainingPlanAccredited Plan1 = new("認1711001206", PlanType.No1, 3, "VN", SenderId, D("2023-05-01"), D("2024-04-30"), Regime.Titp, Today);
    private static readonly TrainingPlanAccredited Plan2 = new("認1711001207", PlanType.No3, 2, "PH", null, D("2023-05-01"), D("2025-04-30"), Regime.Titp, Today);

    private static ImplementingOrganization? Given(params object[] events) => Spec.Given<ImplementingOrganization>(ImplementingOrganization.Evolve, events);

    private static RegisterImplementingOrganization Register(string name = " Sakura Foods ", string industry = " Food manufacturing ") =>
        new(Id, Corp, name, "23", industry, SoId);

    private static AccreditTrainingPlan Accredit(string number = "認1711001206", PlanType type = PlanType.No1, int trainees = 3, string country = "VN",
        Guid? sender = null, string from = "2023-05-01", string to = "2024-04-30") =>
        new(number, type, trainees, country, sender ?? SenderId, Period.Of(D(from), D(to)));

    private static object[] Accredited(ImplementingOrganization? io, AccreditTrainingPlan c, SupervisingOrganization? so = null, SendingOrganization? sender = null,
        LegalEntity? entity = null) =>
        ImplementingOrganizationRules.Decide(io, entity ?? LegalEntity.None, so ?? General, sender ?? Sender(), VietNam, Today, c);

    private static RevokePlanAccreditations Revoke(params string[] numbers) =>
        new(D("2023-09-01"), numbers, LegalBasis.For(Measure.PlanRevocation, "Art.16(1)(iv)"), " Unpaid wages ");

    // Registration

    [Fact]
    public void Registering_records_the_organization_under_its_supervisor()
    {
        Then(ImplementingOrganizationRules.Decide(null, LegalEntity.None, General, Today, Register()), Registered with { RegisteredOn = Today });
        Assert.True(Given(Registered)!.IsActive);
    }

    [Fact]
    public void Registering_needs_an_existing_active_supervisor()
    {
        Rejected("supervising-organization-not-found", "supervisingOrganizationId", () => ImplementingOrganizationRules.Decide(null, LegalEntity.None, null, Today, Register()));
        var revoked = Supervisor(more: new PermitRevoked(D("2023-01-10"), "Art.37(1)(iv)", "x"));
        Rejected("supervising-organization-not-active", "supervisingOrganizationId", () => ImplementingOrganizationRules.Decide(null, LegalEntity.None, revoked, Today, Register()));
    }

    [Fact]
    public void Registering_is_refused_for_a_disqualified_corporate_number()
    {
        var entity = LegalEntity.None.Apply(LegalEntity.Disqualify(Corp.Value, D("2020-06-01"), "plans revoked", "io-x"));
        Rejected("entity-disqualified", "corporateNumber", () => ImplementingOrganizationRules.Decide(null, entity, General, Today, Register()));
        Assert.Single(ImplementingOrganizationRules.Decide(null, entity, General, D("2025-06-01"), Register()));
    }

    [Fact]
    public void Registering_needs_a_name_and_an_industry_and_happens_once()
    {
        Invalid("name", () => ImplementingOrganizationRules.Decide(null, LegalEntity.None, General, Today, Register(name: " ")));
        Invalid("industry", () => ImplementingOrganizationRules.Decide(null, LegalEntity.None, General, Today, Register(industry: "")));
        Rejected("already-registered", () => ImplementingOrganizationRules.Decide(Given(Registered), LegalEntity.None, General, Today, Register()));
    }

    // Accreditation

    [Fact]
    public void Accrediting_a_plan_records_it_with_its_regime()
    {
        Then(Accredited(Given(Registered), Accredit()), Plan1);
        var plan = Given(Registered, Plan1)!.Plans.Single();
        Assert.Equal(new TrainingPlan("認1711001206", PlanType.No1, 3, "VN", SenderId, new Period(D("2023-05-01"), D("2024-04-30")), Regime.Titp, false, Today), plan);
        var esd = Assert.IsType<TrainingPlanAccredited>(Assert.Single(Accredited(Given(Registered), Accredit(from: "2027-04-01", to: "2028-03-31"))));
        Assert.Equal(Regime.Esd, esd.Regime);
    }

    [Fact]
    public void A_plan_without_a_named_sending_organization_needs_none()
    {
        var c = Accredit(type: PlanType.No2, country: "PH", to: "2025-04-30") with { SendingOrganizationId = null };
        Then(ImplementingOrganizationRules.Decide(Given(Registered), LegalEntity.None, General, null, null, Today, c),
            new TrainingPlanAccredited("認1711001206", PlanType.No2, 3, "PH", null, D("2023-05-01"), D("2025-04-30"), Regime.Titp, Today));
    }

    [Fact]
    public void Plan_no3_is_refused_under_a_specified_supervisor_but_accepted_under_a_general_one()
    {
        var no3 = Accredit(type: PlanType.No3, to: "2025-04-30");
        Rejected("plan-type-not-allowed", "type", () => Accredited(Given(Registered), no3, so: Specified));
        Assert.Single(Accredited(Given(Registered), no3, so: General));
        Assert.Single(Accredited(Given(Registered), Accredit(type: PlanType.No2, to: "2025-04-30"), so: Specified));
    }

    [Fact]
    public void Accreditation_is_refused_after_full_revocation()
    {
        var revoked = Given(Registered, Plan1, new PlanAccreditationRevoked(D("2023-09-01"), ["認1711001206"], true, "Art.16(1)(iv)", "x"));
        Rejected("organization-not-active", () => Accredited(revoked, Accredit(number: "認1711001299")));
    }

    [Fact]
    public void Accreditation_is_refused_while_the_sending_organization_is_suspended()
    {
        var suspended = Sender(new SendingOrganizationAcceptanceSuspended(D("2023-04-01"), D("2023-09-30"), "Disappearances above 3x the average"));
        Rejected("sending-organization-suspended", "sendingOrganizationId", () => Accredited(Given(Registered), Accredit(), sender: suspended));
        Assert.Single(ImplementingOrganizationRules.Decide(Given(Registered), LegalEntity.None, General, suspended, VietNam, D("2023-10-01"),
            Accredit(from: "2023-10-01", to: "2024-09-30")));
    }

    [Fact]
    public void The_sending_organization_must_exist_and_be_of_the_plans_country()
    {
        Rejected("sending-organization-not-found", "sendingOrganizationId",
            () => ImplementingOrganizationRules.Decide(Given(Registered), LegalEntity.None, General, null, VietNam, Today, Accredit()));
        Rejected("sending-country-mismatch", "sendingCountry", () => Accredited(Given(Registered), Accredit(country: "PH")));
    }

    [Fact]
    public void Accreditation_is_refused_while_the_organization_or_its_supervisor_may_not_accept_trainees()
    {
        var suspendedIo = Given(Registered, new ImplementingOrganizationAcceptanceSuspended(D("2023-04-01"), D("2023-12-31"), "x"));
        Rejected("acceptance-suspended", () => Accredited(suspendedIo, Accredit()));
        var suspendedSo = Supervisor(more: new AcceptanceSuspended(D("2023-04-01"), D("2023-12-31"), "x"));
        Rejected("supervising-organization-suspended", () => Accredited(Given(Registered), Accredit(), so: suspendedSo));
        var revokedSo = Supervisor(more: new PermitRevoked(D("2023-01-10"), "Art.37(1)(iv)", "x"));
        Rejected("supervising-organization-not-active", () => Accredited(Given(Registered), Accredit(), so: revokedSo));
        Rejected("supervising-organization-not-found", () => ImplementingOrganizationRules.Decide(Given(Registered), LegalEntity.None, null, Sender(), VietNam, Today, Accredit()));
    }

    [Fact]
    public void Accreditation_is_refused_while_the_entity_is_disqualified()
    {
        var entity = LegalEntity.None.Apply(LegalEntity.Disqualify(Corp.Value, D("2022-01-01"), "plans revoked elsewhere", "io-x"));
        Rejected("entity-disqualified", "corporateNumber", () => Accredited(Given(Registered), Accredit(), entity: entity));
    }

    [Fact]
    public void Plan_numbers_are_unique_and_a_plan_covers_at_least_one_trainee()
    {
        Rejected("plan-exists", "planNumber", () => Accredited(Given(Registered, Plan1), Accredit()));
        Invalid("trainees", () => Accredited(Given(Registered), Accredit(trainees: 0)));
        Rejected("not-found", () => Accredited(null, Accredit()));
    }

    [Theory]
    [InlineData(PlanType.No1, "2024-04-30", true)]
    [InlineData(PlanType.No1, "2024-05-01", false)]
    [InlineData(PlanType.No2, "2025-04-30", true)]
    [InlineData(PlanType.No2, "2025-05-01", false)]
    [InlineData(PlanType.No3, "2025-04-30", true)]
    [InlineData(PlanType.No3, "2025-05-01", false)]
    public void A_plan_covers_one_stage(PlanType type, string to, bool allowed)
    {
        var c = Accredit(type: type, to: to);
        if (allowed) Assert.Single(Accredited(Given(Registered), c));
        else Rejected("plan-term-too-long", "to", () => Accredited(Given(Registered), c));
    }

    // Change of supervisor

    [Fact]
    public void Changing_the_supervisor()
    {
        var other = Supervisor(OtherSoId);
        var changed = new SupervisingOrganizationChanged(SoId, OtherSoId, D("2023-06-01"));
        Then(ImplementingOrganizationRules.Decide(Given(Registered, Plan1), other, new ChangeSupervisingOrganization(OtherSoId, D("2023-06-01"))), changed);
        Assert.Equal(OtherSoId, Given(Registered, Plan1, changed)!.SupervisingOrganizationId);
    }

    [Fact]
    public void The_new_supervisor_must_differ_exist_be_active_and_may_supervise_the_running_plans()
    {
        var change = new ChangeSupervisingOrganization(OtherSoId, D("2023-06-01"));
        Rejected("same-supervising-organization", "supervisingOrganizationId",
            () => ImplementingOrganizationRules.Decide(Given(Registered), General, new ChangeSupervisingOrganization(SoId, D("2023-06-01"))));
        Rejected("supervising-organization-not-found", "supervisingOrganizationId", () => ImplementingOrganizationRules.Decide(Given(Registered), null, change));
        Rejected("supervising-organization-not-active", "supervisingOrganizationId", () => ImplementingOrganizationRules.Decide(Given(Registered),
            Supervisor(OtherSoId, more: new BusinessAbolished(D("2023-01-01"), false)), change));
        var specified = Supervisor(OtherSoId, PermitCategory.Specified);
        Rejected("plan-type-not-allowed", "supervisingOrganizationId", () => ImplementingOrganizationRules.Decide(Given(Registered, Plan2), specified, change));
        // Once the No.3 plan has ended, a Specified supervisor will do.
        Assert.Single(ImplementingOrganizationRules.Decide(Given(Registered, Plan2), specified, change with { EffectiveOn = D("2025-05-01") }));
    }

    // Disappearances

    [Fact]
    public void Disappearances_are_reported_and_counted()
    {
        var first = new TraineeDisappearanceReported(2, D("2023-07-01"), "認1711001206");
        Then(ImplementingOrganizationRules.Decide(Given(Registered, Plan1), new ReportTraineeDisappearance(2, D("2023-07-01"), "認1711001206")), first);
        Then(ImplementingOrganizationRules.Decide(Given(Registered, Plan1), new ReportTraineeDisappearance(1, D("2023-07-02"), null)),
            new TraineeDisappearanceReported(1, D("2023-07-02"), null));
        Assert.Equal(3, Given(Registered, Plan1, first, new TraineeDisappearanceReported(1, D("2023-07-02"), null))!.DisappearedTrainees);
    }

    [Fact]
    public void A_disappearance_report_counts_at_least_one_trainee_of_an_existing_plan()
    {
        Invalid("count", () => ImplementingOrganizationRules.Decide(Given(Registered, Plan1), new ReportTraineeDisappearance(0, D("2023-07-01"), null)));
        Rejected("plan-not-found", "planNumber", () => ImplementingOrganizationRules.Decide(Given(Registered, Plan1), new ReportTraineeDisappearance(1, D("2023-07-01"), "認9999999999")));
    }

    // Acceptance suspension

    [Fact]
    public void Acceptance_suspensions_are_published_and_may_not_overlap()
    {
        var suspend = new SuspendImplementingOrganizationAcceptance(Period.Of(D("2023-08-01"), D("2024-01-31")), " Disappearances ");
        var suspended = new ImplementingOrganizationAcceptanceSuspended(D("2023-08-01"), D("2024-01-31"), "Disappearances");
        Then(ImplementingOrganizationRules.Decide(Given(Registered), suspend), suspended);
        Assert.True(Given(Registered, suspended)!.IsAcceptanceSuspendedOn(D("2024-01-31")));
        Rejected("suspension-overlaps", "from", () => ImplementingOrganizationRules.Decide(Given(Registered, suspended), suspend));
        Invalid("reason", () => ImplementingOrganizationRules.Decide(Given(Registered), suspend with { PublishedReason = "" }));
    }

    // Plan revocation

    [Fact]
    public void Revoking_named_plans_leaves_the_others_and_disqualifies_the_entity_for_five_years()
    {
        var (events, entity) = ImplementingOrganizationRules.Decide(Given(Registered, Plan1, Plan2), Revoke("認1711001206"));
        Then(events, new PlanAccreditationRevoked(D("2023-09-01"), ["認1711001206"], false, "Art.16(1)(iv)", "Unpaid wages"));
        Assert.Equal(new EntityDisqualified(Corp.Value, D("2023-09-01"), D("2028-09-01"), "1 plan accreditation(s) revoked under Art.16(1)(iv)", "io-" + Id), entity);

        var state = Given(Registered, Plan1, Plan2, events[0])!;
        Assert.Equal([true, false], state.Plans.Select(p => p.Revoked));
        Assert.True(state.IsActive);
        Assert.Null(state.RevokedOn);

        // Revoking the last remaining plan by name revokes the organization fully.
        var (last, _) = ImplementingOrganizationRules.Decide(state, Revoke("認1711001207"));
        var fully = Given(Registered, Plan1, Plan2, events[0], last[0])!;
        Assert.True(fully.FullyRevoked);
        Assert.False(fully.IsActive);
        Assert.Equal(D("2023-09-01"), fully.RevokedOn);
    }

    [Fact]
    public void Revoking_all_lists_the_remaining_plans_and_revokes_the_organization_fully()
    {
        var partly = new PlanAccreditationRevoked(D("2023-08-01"), ["認1711001206"], false, "Art.16(1)(i)", "x");
        var (events, entity) = ImplementingOrganizationRules.Decide(Given(Registered, Plan1, Plan2, partly), Revoke());
        var all = new PlanAccreditationRevoked(D("2023-09-01"), ["認1711001207"], true, "Art.16(1)(iv)", "Unpaid wages");
        Then(events, all);
        Assert.Equal(D("2028-09-01"), entity.Until);
        var state = Given(Registered, Plan1, Plan2, partly, all)!;
        Assert.True(state.FullyRevoked);
        Assert.Equal(D("2023-09-01"), state.RevokedOn);

        // A null list means all too.
        var (nulls, _) = ImplementingOrganizationRules.Decide(Given(Registered, Plan1, Plan2), Revoke() with { PlanNumbers = null });
        Then(nulls, new PlanAccreditationRevoked(D("2023-09-01"), ["認1711001206", "認1711001207"], true, "Art.16(1)(iv)", "Unpaid wages"));
    }

    [Fact]
    public void Each_named_plan_must_exist_and_still_stand()
    {
        var partly = new PlanAccreditationRevoked(D("2023-08-01"), ["認1711001206"], false, "Art.16(1)(i)", "x");
        Rejected("plan-not-found", "planNumbers", () => ImplementingOrganizationRules.Decide(Given(Registered, Plan1, Plan2), Revoke("認1711001206", "認9999999999")));
        Rejected("plan-already-revoked", "planNumbers", () => ImplementingOrganizationRules.Decide(Given(Registered, Plan1, Plan2, partly), Revoke("認1711001206")));
        Invalid("planNumbers", () => ImplementingOrganizationRules.Decide(Given(Registered, Plan1, Plan2), Revoke("認1711001206", "認1711001206")));
        Invalid("reason", () => ImplementingOrganizationRules.Decide(Given(Registered, Plan1), Revoke() with { PublishedReason = " " }));
        Rejected("no-plans", "planNumbers", () => ImplementingOrganizationRules.Decide(Given(Registered), Revoke()));
    }

    [Fact]
    public void Nothing_is_accepted_after_full_revocation()
    {
        var revoked = Given(Registered, Plan1, new PlanAccreditationRevoked(D("2023-09-01"), ["認1711001206"], true, "Art.16(1)(iv)", "x"));
        Rejected("already-revoked", () => ImplementingOrganizationRules.Decide(revoked, Revoke()));
        Rejected("organization-not-active", () => ImplementingOrganizationRules.Decide(revoked, Supervisor(OtherSoId), new ChangeSupervisingOrganization(OtherSoId, D("2023-10-01"))));
        Rejected("organization-not-active", () => ImplementingOrganizationRules.Decide(revoked, new ReportTraineeDisappearance(1, D("2023-10-01"), null)));
        Rejected("organization-not-active", () => ImplementingOrganizationRules.Decide(revoked,
            new SuspendImplementingOrganizationAcceptance(Period.Of(D("2023-10-01"), D("2024-03-31")), "x")));
    }
}
