using Oversight.Domain.Common;
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
}
