using Oversight.Domain.Common;
using Oversight.Domain.Moc;
using Oversight.Domain.SendingOrganizations;
using static Oversight.Domain.Tests.Spec;

namespace Oversight.Domain.Tests;

public sealed class SendingOrganizationRuleTests
{
    private static readonly MocAgreement VietNam =
        MocAgreement.Evolve(null, new MocSigned(Guid.Parse("0190a000-0000-7000-8000-0000000000a1"), "VN", D("2017-06-06"), D("2017-11-01"), null))!;

    private static readonly Guid Id = Guid.Parse("0190a000-0000-7000-8000-0000000000d1");
    private static readonly Guid ReportId = Guid.Parse("0190a000-0000-7000-8000-0000000000d9");

    private static readonly SendingOrganizationRegistered Registered = new(Id, "VN", "Hanoi Manpower JSC", "LIC-001");
    private static readonly SendingOrganizationReportedUnderMoc Reported = new(ReportId, D("2021-06-15"),
        [MocReportReason.HighDisappearanceRate, MocReportReason.ExcessiveFees], "Disappearances over 3x the average");

    private static SendingOrganization? Given(params object[] events) => Spec.Given<SendingOrganization>(SendingOrganization.Evolve, events);

    private static ReportUnderMoc Report(params MocReportReason[] reasons) => new(ReportId, D("2021-06-15"), reasons, " Disappearances over 3x the average ");

    private static RecordSendingCountryResponse Respond(SendingCountryResponse response, string on = "2021-07-01") => new(ReportId, D(on), response, null);

    [Fact]
    public void Registering_a_sending_organization()
    {
        Then(SendingOrganizationRules.Decide(null, new RegisterSendingOrganization(Id, "VN", " Hanoi Manpower JSC ", " LIC-001 ")), Registered);
        Then(SendingOrganizationRules.Decide(null, new RegisterSendingOrganization(Id, "NP", "Kathmandu HR", " ")), new SendingOrganizationRegistered(Id, "NP", "Kathmandu HR", null));
        Invalid("name", () => SendingOrganizationRules.Decide(null, new RegisterSendingOrganization(Id, "VN", "", null)));
        Rejected("already-registered", () => SendingOrganizationRules.Decide(Given(Registered), new RegisterSendingOrganization(Id, "VN", "x", null)));
    }

    [Fact]
    public void Reporting_under_the_moc_with_its_reasons()
    {
        Then(SendingOrganizationRules.Decide(Given(Registered), VietNam, Report(MocReportReason.HighDisappearanceRate, MocReportReason.ExcessiveFees)), Reported);
        var report = Given(Registered, Reported)!.Reports.Single();
        Assert.Equal([MocReportReason.HighDisappearanceRate, MocReportReason.ExcessiveFees], report.Reasons);
        Assert.False(report.IsAnswered);
    }

    [Fact]
    public void A_report_gives_distinct_reasons_and_its_id_is_unique()
    {
        Invalid("reasons", () => SendingOrganizationRules.Decide(Given(Registered), VietNam, Report()));
        Invalid("reasons", () => SendingOrganizationRules.Decide(Given(Registered), VietNam, Report(MocReportReason.Other, MocReportReason.Other)));
        Rejected("report-exists", "reportId", () => SendingOrganizationRules.Decide(Given(Registered, Reported), VietNam, Report(MocReportReason.Other)));
        Rejected("not-found", () => SendingOrganizationRules.Decide(null, VietNam, Report(MocReportReason.Other)));
    }

    [Fact]
    public void Interim_responses_then_one_final_answer()
    {
        var investigating = new SendingCountryResponded(ReportId, D("2021-07-01"), SendingCountryResponse.Investigating, null);
        Then(SendingOrganizationRules.Decide(Given(Registered, Reported), Respond(SendingCountryResponse.Investigating)), investigating);
        var suspended = new SendingCountryResponded(ReportId, D("2021-08-18"), SendingCountryResponse.LicenceSuspended, "Suspended for six months");
        Then(SendingOrganizationRules.Decide(Given(Registered, Reported, investigating),
            new RecordSendingCountryResponse(ReportId, D("2021-08-18"), SendingCountryResponse.LicenceSuspended, " Suspended for six months ")), suspended);

        var answered = Given(Registered, Reported, investigating, suspended)!;
        Assert.True(answered.Reports.Single().IsAnswered);
        Assert.Equal(2, answered.Reports.Single().Responses.Count);
        Rejected("report-already-answered", "response", () => SendingOrganizationRules.Decide(answered, Respond(SendingCountryResponse.LicenceRevoked, "2021-09-01")));
        Rejected("report-already-answered", "response", () => SendingOrganizationRules.Decide(answered, Respond(SendingCountryResponse.Investigating, "2021-09-01")));
    }

    [Fact]
    public void A_response_answers_an_existing_report_and_not_before_it()
    {
        Rejected("response-before-report", "respondedOn", () => SendingOrganizationRules.Decide(Given(Registered, Reported), Respond(SendingCountryResponse.NoViolationFound, "2021-06-14")));
        Assert.Single(SendingOrganizationRules.Decide(Given(Registered, Reported), Respond(SendingCountryResponse.NoViolationFound, "2021-06-15")));
        Rejected("report-not-found", "reportId", () => SendingOrganizationRules.Decide(Given(Registered), Respond(SendingCountryResponse.NoResponse)));
    }

    [Fact]
    public void Acceptance_suspensions_are_published_and_may_not_overlap()
    {
        var suspend = new SuspendSendingOrganizationAcceptance(Period.Of(D("2021-08-18"), D("2022-02-17")), " Disappearances over 3x the average ");
        var suspended = new SendingOrganizationAcceptanceSuspended(D("2021-08-18"), D("2022-02-17"), "Disappearances over 3x the average");
        Then(SendingOrganizationRules.Decide(Given(Registered), suspend), suspended);
        var state = Given(Registered, suspended)!;
        Assert.True(state.IsAcceptanceSuspendedOn(D("2021-08-18")));
        Assert.False(state.IsAcceptanceSuspendedOn(D("2022-02-18")));
        Rejected("suspension-overlaps", "from", () => SendingOrganizationRules.Decide(state, suspend));
        Invalid("reason", () => SendingOrganizationRules.Decide(Given(Registered), suspend with { PublishedReason = "" }));
    }
}
