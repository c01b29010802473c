using Oversight.Domain.Common;
using Oversight.Domain.ImplementingOrganizations;
using Oversight.Domain.LegalEntities;
using Oversight.Domain.SupervisingOrganizations;
using static Oversight.Domain.Tests.Spec;

namespace Oversight.Domain.Tests;

public sealed class SupervisingOrganizationRuleTests
{
    private static readonly Guid Id = Guid.Parse("0190a000-0000-7000-8000-000000000001");
    private static readonly CorporateNumber Corp = CorporateNumber.Parse("7000012050002");

    private static readonly SupervisingOrganizationRegistered Registered =
        new(Id, "許1708000404", Corp.Value, "Kanto Cooperative", "13", PermitCategory.General, D("2022-04-01"), D("2027-03-31"), Regime.Titp);

    private static RegisterSupervisingOrganization Register(PermitCategory category = PermitCategory.General, string from = "2022-04-01", string to = "2027-03-31") =>
        new(Id, "許1708000404", Corp, " Kanto Cooperative ", "13", category, Period.Of(D(from), D(to)));

    private static SupervisingOrganization? Given(params object[] events) => Spec.Given<SupervisingOrganization>(SupervisingOrganization.Evolve, events);

    [Fact]
    public void Registering_records_the_permit_and_its_regime() =>
        Then(SupervisingOrganizationRules.Decide(null, LegalEntity.None, Register()), Registered);

    [Fact]
    public void A_permit_granted_from_2027_04_01_is_under_the_new_regime()
    {
        var events = SupervisingOrganizationRules.Decide(null, LegalEntity.None, Register(from: "2027-04-01", to: "2030-03-31"));
        Assert.Equal(Regime.Esd, Assert.IsType<SupervisingOrganizationRegistered>(Assert.Single(events)).Regime);
    }

    [Fact]
    public void Registering_twice_is_refused() =>
        Rejected("already-registered", () => SupervisingOrganizationRules.Decide(Given(Registered), LegalEntity.None, Register()));

    [Theory]
    [InlineData(PermitCategory.General, "2027-04-01")]
    [InlineData(PermitCategory.Specified, "2025-04-01")]
    public void A_first_permit_longer_than_its_category_allows_is_refused(PermitCategory category, string to) =>
        Rejected("permit-term-too-long", () => SupervisingOrganizationRules.Decide(null, LegalEntity.None, Register(category, to: to)));

    [Fact]
    public void Revocation_is_recorded_once_and_disqualifies_the_entity_for_five_years()
    {
        var (events, entity) = SupervisingOrganizationRules.Decide(Given(Registered),
            new RevokePermit(D("2023-01-10"), LegalBasis.For(Measure.PermitRevocation, "Art.37(1)(iv)"), "Unpaid wages and false reports"));
        Then(events, new PermitRevoked(D("2023-01-10"), "Art.37(1)(iv)", "Unpaid wages and false reports"));
        Assert.Equal((Corp.Value, D("2023-01-10"), D("2028-01-10")), (entity.CorporateNumber, entity.From, entity.Until));

        Rejected("already-revoked", () => SupervisingOrganizationRules.Decide(Given(Registered, events[0]),
            new RevokePermit(D("2023-02-01"), LegalBasis.For(Measure.PermitRevocation, "Art.37(1)(i)"), "again")));
    }

    [Fact]
    public void A_disqualified_entity_cannot_register_again_within_five_years_but_can_after()
    {
        var entity = LegalEntity.None.Apply(LegalEntity.Disqualify(Corp.Value, D("2023-01-10"), "permit revoked", "so-x"));
        var refused = Rejected("entity-disqualified", () => SupervisingOrganizationRules.Decide(null, entity, Register(from: "2028-01-09", to: "2031-01-01")));
        Assert.Contains("2028-01-10", refused.Message);
        Assert.Single(SupervisingOrganizationRules.Decide(null, entity, Register(from: "2028-01-10", to: "2033-01-01")));
    }

    [Fact]
    public void Abolishing_after_a_revocation_hearing_notice_still_disqualifies()
    {
        var (events, entity) = SupervisingOrganizationRules.Decide(Given(Registered, new RevocationHearingNoticed(D("2023-05-01"))),
            new AbolishBusiness(D("2023-05-20")));
        Then(events, new BusinessAbolished(D("2023-05-20"), AfterHearingNotice: true));
        Assert.Equal(D("2028-05-20"), entity!.Until);
    }

    [Fact]
    public void Abolishing_without_a_hearing_notice_does_not_disqualify()
    {
        var (events, entity) = SupervisingOrganizationRules.Decide(Given(Registered), new AbolishBusiness(D("2023-05-20")));
        Then(events, new BusinessAbolished(D("2023-05-20"), AfterHearingNotice: false));
        Assert.Null(entity);
    }

    [Fact]
    public void Nothing_can_be_done_to_a_revoked_organization()
    {
        var revoked = Given(Registered, new PermitRevoked(D("2023-01-10"), "Art.37(1)(iv)", "x"));
        Rejected("organization-not-active", () => SupervisingOrganizationRules.Decide(revoked,
            new SuspendBusiness(Period.Of(D("2023-02-01"), D("2023-05-01")), false, LegalBasis.For(Measure.BusinessSuspension, "Art.37(3)"), "x")));
        Rejected("organization-not-active", () => SupervisingOrganizationRules.Decide(revoked, new AbolishBusiness(D("2023-02-01"))));
    }

    [Fact]
    public void Business_suspensions_may_not_overlap()
    {
        var basis = LegalBasis.For(Measure.BusinessSuspension, "Art.37(3)");
        var first = SupervisingOrganizationRules.Decide(Given(Registered), new SuspendBusiness(Period.Of(D("2023-02-01"), D("2023-04-30")), true, basis, "Inadequate audits"));
        Then(first, new BusinessSuspended(D("2023-02-01"), D("2023-04-30"), true, "Art.37(3)", "Inadequate audits"));
        Rejected("suspension-overlaps", () => SupervisingOrganizationRules.Decide(Given(Registered, first[0]),
            new SuspendBusiness(Period.Of(D("2023-04-30"), D("2023-06-30")), false, basis, "x")));
    }

    [Fact]
    public void Periods_must_not_end_before_they_start() =>
        Invalid("to", () => Period.Of(D("2023-04-30"), D("2023-04-01")));

    private static readonly PermitRevoked Revoked = new(D("2023-01-10"), "Art.37(1)(iv)", "x");

    private static SupervisingOrganizationRegistered RegisteredAs(PermitCategory category) =>
        Registered with { Category = category, PermitTo = category == PermitCategory.General ? D("2027-03-31") : D("2025-03-31") };

    [Theory]
    [InlineData(PermitCategory.General, false, "2030-03-31", true)]
    [InlineData(PermitCategory.General, false, "2030-04-01", false)]
    [InlineData(PermitCategory.General, true, "2032-03-31", true)]
    [InlineData(PermitCategory.General, true, "2032-04-01", false)]
    [InlineData(PermitCategory.Specified, false, "2028-03-31", true)]
    [InlineData(PermitCategory.Specified, false, "2028-04-01", false)]
    [InlineData(PermitCategory.Specified, true, "2030-03-31", true)]
    [InlineData(PermitCategory.Specified, true, "2030-04-01", false)]
    public void Renewal_terms_depend_on_the_category_and_the_excellence_rating(PermitCategory category, bool excellent, string to, bool allowed)
    {
        var renew = new RenewPermit(Period.Of(D("2025-04-01"), D(to)), excellent);
        if (allowed)
            Then(SupervisingOrganizationRules.Decide(Given(RegisteredAs(category)), renew), new PermitRenewed(D("2025-04-01"), D(to), excellent));
        else
            Rejected("permit-term-too-long", "permitTo", () => SupervisingOrganizationRules.Decide(Given(RegisteredAs(category)), renew));
    }

    [Fact]
    public void A_renewal_starts_after_the_current_term_starts_and_moves_the_permit()
    {
        Rejected("renewal-not-after-current", "permitFrom", () => SupervisingOrganizationRules.Decide(Given(Registered),
            new RenewPermit(Period.Of(D("2022-04-01"), D("2026-03-31")), false)));
        var renewed = new PermitRenewed(D("2027-04-01"), D("2034-03-31"), true);
        Assert.Equal(new Period(D("2027-04-01"), D("2034-03-31")), Given(Registered, renewed)!.Permit);
        Rejected("organization-not-active", () => SupervisingOrganizationRules.Decide(Given(Registered, Revoked),
            new RenewPermit(Period.Of(D("2027-04-01"), D("2032-03-31")), false)));
    }

    [Fact]
    public void The_ministers_downgrade_a_general_permit_ex_officio_and_publish_it()
    {
        var downgrade = new DowngradeCategory(D("2024-07-01"), LegalBasis.For(Measure.CategoryDowngrade, "Art.37(2)"), " Excellence standard no longer met ");
        var changed = new PermitCategoryChanged(PermitCategory.General, PermitCategory.Specified, true, "Art.37(2)", "Excellence standard no longer met", D("2024-07-01"));
        Then(SupervisingOrganizationRules.Decide(Given(Registered), downgrade), changed);
        Assert.Equal(PermitCategory.Specified, Given(Registered, changed)!.Category);
        Rejected("already-specified", () => SupervisingOrganizationRules.Decide(Given(Registered, changed), downgrade));
        Invalid("reason", () => SupervisingOrganizationRules.Decide(Given(Registered), downgrade with { PublishedReason = " " }));
        Rejected("organization-not-active", () => SupervisingOrganizationRules.Decide(Given(Registered, Revoked), downgrade));
    }

    [Fact]
    public void A_category_change_on_application()
    {
        Then(SupervisingOrganizationRules.Decide(Given(RegisteredAs(PermitCategory.Specified)), new ChangeCategory(PermitCategory.General)),
            new PermitCategoryChanged(PermitCategory.Specified, PermitCategory.General, false, null, null));
        Rejected("category-unchanged", "category", () => SupervisingOrganizationRules.Decide(Given(Registered), new ChangeCategory(PermitCategory.General)));
        Rejected("organization-not-active", () => SupervisingOrganizationRules.Decide(Given(Registered, Revoked), new ChangeCategory(PermitCategory.Specified)));
    }

    [Fact]
    public void Acceptance_suspensions_may_not_overlap()
    {
        var first = SupervisingOrganizationRules.Decide(Given(Registered), new SuspendAcceptance(Period.Of(D("2023-02-01"), D("2023-07-31")), " Disappearances "));
        Then(first, new AcceptanceSuspended(D("2023-02-01"), D("2023-07-31"), "Disappearances"));
        var suspended = Given(Registered, first[0])!;
        Assert.True(suspended.IsAcceptanceSuspendedOn(D("2023-07-31")));
        Assert.False(suspended.IsAcceptanceSuspendedOn(D("2023-08-01")));
        Rejected("suspension-overlaps", "from", () => SupervisingOrganizationRules.Decide(suspended, new SuspendAcceptance(Period.Of(D("2023-07-31"), D("2023-09-30")), "x")));
        Assert.Single(SupervisingOrganizationRules.Decide(suspended, new SuspendAcceptance(Period.Of(D("2023-08-01"), D("2023-09-30")), "x")));
        Invalid("reason", () => SupervisingOrganizationRules.Decide(Given(Registered), new SuspendAcceptance(Period.Of(D("2023-02-01"), D("2023-07-31")), "")));
        Rejected("organization-not-active", () => SupervisingOrganizationRules.Decide(Given(Registered, Revoked), new SuspendAcceptance(Period.Of(D("2023-02-01"), D("2023-07-31")), "x")));
    }

    [Theory]
    [InlineData(PermitCategory.General, PlanType.No1, true)]
    [InlineData(PermitCategory.General, PlanType.No3, true)]
    [InlineData(PermitCategory.Specified, PlanType.No2, true)]
    [InlineData(PermitCategory.Specified, PlanType.No3, false)]
    public void The_category_decides_which_plans_may_be_supervised(PermitCategory category, PlanType type, bool allowed) =>
        Assert.Equal(allowed, Given(RegisteredAs(category))!.MaySupervise(type));
}
