using Oversight.Domain.Common;
using Oversight.Domain.ImplementingOrganizations;
using Oversight.Domain.LegalEntities;
using Oversight.Domain.Moc;
using Oversight.Domain.SendingOrganizations;
using Oversight.Domain.SupervisingOrganizations;
using static Oversight.Domain.Tests.Spec;

namespace Oversight.Domain.Tests;

/// <summary>Memoranda of Cooperation as dated facts, and the acts that need one in force.</summary>
public sealed class MocRuleTests
{
    private static readonly Guid MocId = Guid.Parse("0190a000-0000-7000-8000-0000000000a1");
    private static readonly Guid SenderId = Guid.Parse("0190a000-0000-7000-8000-0000000000d1");
    private static readonly MocSigned Signed = new(MocId, "NP", D("2024-01-18"), D("2024-01-18"), "Immigration Services Agency");

    private static MocAgreement? Given(params object[] events) => Spec.Given<MocAgreement>(MocAgreement.Evolve, events);

    [Fact]
    public void A_memorandum_is_in_force_from_its_date_until_it_ends()
    {
        Then(MocRules.Decide(null, new SignMoc(MocId, "NP", D("2024-01-18"), D("2024-01-18"), " Immigration Services Agency ")), Signed);
        var ended = Given(Signed, new MocEnded(D("2029-01-18"), "Expired"))!;
        Assert.False(ended.IsInForceOn(D("2024-01-17")));
        Assert.True(ended.IsInForceOn(D("2024-01-18")));
        Assert.True(ended.IsInForceOn(D("2029-01-17")));
        Assert.False(ended.IsInForceOn(D("2029-01-18")));
    }

    [Fact]
    public void One_memorandum_at_a_time_in_force_no_earlier_than_signed_and_ended_after_it_took_effect()
    {
        Rejected("in-force-before-signed", "inForceFrom", () => MocRules.Decide(null, new SignMoc(MocId, "NP", D("2024-01-18"), D("2024-01-17"), null)));
        Rejected("moc-in-force", "country", () => MocRules.Decide(Given(Signed), new SignMoc(MocId, "NP", D("2025-01-01"), D("2025-01-01"), null)));
        Rejected("ended-before-in-force", "endedOn", () => MocRules.Decide(Given(Signed), new EndMoc(D("2024-01-18"), "x")));
        Rejected("no-moc-in-force", () => MocRules.Decide(null, new EndMoc(D("2024-01-18"), "x")));
        var ended = Given(Signed, new MocEnded(D("2029-01-18"), "Expired"));
        Rejected("moc-overlaps", "inForceFrom", () => MocRules.Decide(ended, new SignMoc(MocId, "NP", D("2028-12-01"), D("2029-01-17"), null)));
        Assert.Single(MocRules.Decide(ended, new SignMoc(MocId, "NP", D("2028-12-01"), D("2029-01-18"), null)));
    }

    [Fact]
    public void A_report_under_the_moc_needs_one_in_force_with_the_organizations_country_on_its_date()
    {
        var sender = Spec.Given<SendingOrganization>(SendingOrganization.Evolve, new SendingOrganizationRegistered(SenderId, "NP", "Kathmandu HR", null));
        var report = new ReportUnderMoc(Guid.Parse("0190a000-0000-7000-8000-0000000000b1"), D("2023-06-01"), [MocReportReason.ExcessiveFees], null);
        Rejected("no-moc-in-force", "reportedOn", () => SendingOrganizationRules.Decide(sender, null, report));
        Rejected("no-moc-in-force", "reportedOn", () => SendingOrganizationRules.Decide(sender, Given(Signed), report));
        Assert.Single(SendingOrganizationRules.Decide(sender, Given(Signed), report with { ReportedOn = D("2024-01-18") }));
    }

    [Fact]
    public void A_plan_names_a_sending_organization_only_under_a_memorandum_in_force()
    {
        var so = Spec.Given<SupervisingOrganization>(SupervisingOrganization.Evolve, new SupervisingOrganizationRegistered(Guid.Parse("0190a000-0000-7000-8000-000000000001"),
            "許1708000404", "7000012050002", "Kanto Cooperative", "13", PermitCategory.General, D("2022-04-01"), D("2027-03-31"), Regime.Titp));
        var io = Spec.Given<ImplementingOrganization>(ImplementingOrganization.Evolve, new ImplementingOrganizationRegistered(
            Guid.Parse("0190a000-0000-7000-8000-0000000000c1"), "1180301018771", "Sakura Foods", "23", "Food manufacturing", so!.Id, D("2023-01-10")));
        var sender = Spec.Given<SendingOrganization>(SendingOrganization.Evolve, new SendingOrganizationRegistered(SenderId, "NP", "Kathmandu HR", null));
        var plan = new AccreditTrainingPlan("認1711001206", PlanType.No1, 3, "NP", SenderId, Period.Of(D("2023-05-01"), D("2024-04-30")));
        Rejected("no-moc-in-force", "sendingOrganizationId",
            () => ImplementingOrganizationRules.Decide(io, LegalEntity.None, so, sender, Given(Signed), D("2023-04-10"), plan));
        // Without a named sending organization the plan needs no memorandum.
        Assert.Single(ImplementingOrganizationRules.Decide(io, LegalEntity.None, so, null, null, D("2023-04-10"), plan with { SendingOrganizationId = null }));
    }
}
