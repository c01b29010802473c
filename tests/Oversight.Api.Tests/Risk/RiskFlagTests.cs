using System.Text.Json;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.Risk;

/// <summary>Reads of the risk endpoints as an analyst, waiting for the risk projection to include a write.</summary>
internal static class RiskReads
{
    public static Task<JsonElement> RiskAsync(this ApiFactory api, Guid organization, long minPosition) =>
        api.GetJsonAsync(Roles.Analyst, $"/api/v1/organizations/{organization}/risk?minPosition={minPosition}");

    /// <summary>The ids listed by <c>/risk-flags?flag=</c> (one page of 500 is plenty for a test database).</summary>
    public static async Task<List<Guid>> FlaggedAsync(this ApiFactory api, string flag, long minPosition)
    {
        var page = await api.GetJsonAsync(Roles.Analyst, $"/api/v1/risk-flags?flag={flag}&limit=500&minPosition={minPosition}");
        return [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("organizationId").GetGuid())];
    }

    public static JsonElement? Flag(this JsonElement profile, string flag) =>
        profile.GetProperty("flags").EnumerateArray().Where(f => f.GetProperty("flag").GetString() == flag).Select(f => (JsonElement?)f).FirstOrDefault();

    public static List<string> FlagNames(this JsonElement profile) =>
        [.. profile.GetProperty("flags").EnumerateArray().Select(f => f.GetProperty("flag").GetString()!)];

    /// <summary>The flag's evidence as (position, type).</summary>
    public static List<(long Position, string Type)> Events(this JsonElement flag) =>
        [.. flag.GetProperty("events").EnumerateArray().Select(e => (e.GetProperty("position").GetInt64(), e.GetProperty("type").GetString()!))];

    /// <summary>Asserts one flag's level, score (weight × level factor, default options) and that the profile's score is the sum of its flags'.</summary>
    public static JsonElement AssertFlag(this JsonElement profile, string flag, string level, double score)
    {
        var found = profile.Flag(flag);
        Assert.True(found is not null, $"{flag} expected in {profile}");
        Assert.Equal(level, found.Value.GetProperty("level").GetString());
        Assert.Equal(score, found.Value.GetProperty("score").GetDouble(), 3);
        Assert.Equal(profile.GetProperty("flags").EnumerateArray().Sum(f => f.GetProperty("score").GetDouble()), profile.GetProperty("score").GetDouble(), 2);
        return found.Value;
    }

    public static void AssertNoFlag(this JsonElement profile, string flag) => Assert.True(profile.Flag(flag) is null, $"{flag} not expected in {profile}");
}

/// <summary>One host for the flags that need no clock movement; each test builds its own organizations.</summary>
public sealed class RiskFixture : IAsyncLifetime
{
    public ApiFactory Api { get; } = ReadSide.NewApi();

    public ValueTask InitializeAsync() => Api.InitializeAsync();

    public ValueTask DisposeAsync() => Api.DisposeAsync();
}

/// <summary>Each flag of design §5 raised by the events that cause it and cleared by the events that end its cause; scores follow the weights.</summary>
public sealed class RiskFlagTests(RiskFixture fixture) : IClassFixture<RiskFixture>
{
    private ApiFactory Api => fixture.Api;

    private async Task<(Guid So, Guid Io)> OrganizationsAsync()
    {
        var so = await Api.RegisterSoAsync();
        var io = await Api.RegisterIoAsync(so);
        return (so, io);
    }

    [Fact]
    public async Task TraffickingIndicator_is_raised_by_a_trafficking_finding_and_cleared_by_its_retraction()
    {
        var (_, io) = await OrganizationsAsync();
        var inspection = await Api.StartInspectionAsync(io);
        var other = await Api.FindAsync(inspection, "RecordKeeping");
        var passports = await Api.FindAsync(inspection, "ConfiscatedPassportOrResidenceCard");

        var profile = await Api.RiskAsync(io, passports.Position());
        var flag = profile.AssertFlag("TraffickingIndicator", "High", 30 * 1.5);
        Assert.Equal([(passports.Position(), "FindingRecorded")], flag.Events());
        Assert.Equal(["TraffickingIndicator"], profile.FlagNames());
        Assert.DoesNotContain(other.Position(), flag.Events().Select(e => e.Position));
        Assert.Contains(io, await Api.FlaggedAsync("TraffickingIndicator", passports.Position()));

        var retracted = await Api.WriteAsync(Roles.Inspector, $"/api/v1/inspections/{inspection}/findings/{passports.Id()}/retraction",
            new { reason = "Recorded against the wrong organization." });
        profile = await Api.RiskAsync(io, retracted.Position());
        profile.AssertNoFlag("TraffickingIndicator");
        Assert.Equal(0, profile.GetProperty("score").GetDouble());
        Assert.DoesNotContain(io, await Api.FlaggedAsync("TraffickingIndicator", retracted.Position()));
    }

    [Fact]
    public async Task RepeatViolations_needs_findings_in_two_inspections_and_is_cleared_when_one_is_retracted()
    {
        var (_, io) = await OrganizationsAsync();
        var first = await Api.StartInspectionAsync(io, "2023-06-01");
        var f1 = await Api.FindAsync(first, "RecordKeeping", "2023-06-01");
        var again = await Api.FindAsync(first, "Dormitory", "2023-06-01");
        await Api.CompleteInspectionAsync(first, "2023-06-02");
        (await Api.RiskAsync(io, again.Position())).AssertNoFlag("RepeatViolations");

        var second = await Api.StartInspectionAsync(io, "2024-02-01");
        var f2 = await Api.FindAsync(second, "SafetyAndHealth", "2024-02-01");
        var profile = await Api.RiskAsync(io, f2.Position());
        var flag = profile.AssertFlag("RepeatViolations", "Warn", 15);
        Assert.Equal([(f1.Position(), "FindingRecorded"), (again.Position(), "FindingRecorded"), (f2.Position(), "FindingRecorded")], flag.Events());
        profile.AssertNoFlag("TraffickingIndicator");
        Assert.Contains(io, await Api.FlaggedAsync("RepeatViolations", f2.Position()));

        var third = await Api.StartInspectionAsync(io, "2024-03-01");
        var f3 = await Api.FindAsync(third, "PlanDeviation", "2024-03-01");
        (await Api.RiskAsync(io, f3.Position())).AssertFlag("RepeatViolations", "High", 15 * 1.5);

        foreach (var (inspection, finding) in new[] { (second, f2), (third, f3) })
        {
            var retracted = await Api.WriteAsync(Roles.Inspector, $"/api/v1/inspections/{inspection}/findings/{finding.Id()}/retraction",
                new { reason = "Duplicate of an earlier finding." });
            profile = await Api.RiskAsync(io, retracted.Position());
        }
        profile.AssertNoFlag("RepeatViolations");
        Assert.DoesNotContain(io, await Api.FlaggedAsync("RepeatViolations", await Api.HeadAsync()));
    }

    [Fact]
    public async Task RepeatViolations_counts_and_lists_only_the_findings_within_three_years_of_the_latest()
    {
        var io = await Api.RegisterIoAsync(await Api.RegisterSoAsync(permitFrom: "2018-04-01"), registeredOn: "2019-01-10");
        var old = await Api.StartInspectionAsync(io, "2019-06-01");
        await Api.FindAsync(old, "RecordKeeping", "2019-06-01");
        await Api.CompleteInspectionAsync(old, "2019-06-02");
        var first = await Api.StartInspectionAsync(io, "2023-06-01");
        var f1 = await Api.FindAsync(first, "Dormitory", "2023-06-01");
        await Api.CompleteInspectionAsync(first, "2023-06-02");
        (await Api.RiskAsync(io, f1.Position())).AssertNoFlag("RepeatViolations"); // 2019 is four years before the latest finding

        var second = await Api.StartInspectionAsync(io, "2024-02-01");
        var f2 = await Api.FindAsync(second, "SafetyAndHealth", "2024-02-01");
        var flag = (await Api.RiskAsync(io, f2.Position())).AssertFlag("RepeatViolations", "Warn", 15);
        Assert.Equal([(f1.Position(), "FindingRecorded"), (f2.Position(), "FindingRecorded")], flag.Events());
    }

    [Fact]
    public async Task Disappearances_follow_the_rate_over_the_trainees_of_the_plans()
    {
        var (_, io) = await OrganizationsAsync();
        var plan = await Api.AccreditAsync(io, trainees: 20);
        var one = await Api.WriteAsync(Roles.Officer, $"/api/v1/implementing-organizations/{io}/disappearances", new { count = 1, reportedOn = "2023-08-14", planNumber = plan });
        var profile = await Api.RiskAsync(io, one.Position());
        var flag = profile.AssertFlag("Disappearances", "Warn", 20); // 1 of 20 = 5 %: warn
        Assert.Equal([(one.Position(), "TraineeDisappearanceReported")], flag.Events());

        var two = await Api.WriteAsync(Roles.Officer, $"/api/v1/implementing-organizations/{io}/disappearances", new { count = 2, reportedOn = "2023-09-01" });
        flag = (await Api.RiskAsync(io, two.Position())).AssertFlag("Disappearances", "High", 20 * 1.5); // 3 of 20 = 15 %: high
        Assert.Equal([(one.Position(), "TraineeDisappearanceReported"), (two.Position(), "TraineeDisappearanceReported")], flag.Events());
        Assert.Contains(io, await Api.FlaggedAsync("Disappearances", two.Position()));

        // 3 of 120 = 2.5 %: below the rate, no flag.
        await Api.AccreditAsync(io, trainees: 100);
        var head = await Api.HeadAsync();
        (await Api.RiskAsync(io, head)).AssertNoFlag("Disappearances");
        Assert.DoesNotContain(io, await Api.FlaggedAsync("Disappearances", head));
    }

    [Fact]
    public async Task SupervisorSanctioned_when_the_supervising_organization_is_suspended_or_revoked_and_cleared_by_a_change_of_supervisor()
    {
        var (so, io) = await OrganizationsAsync();
        var other = await Api.RegisterSoAsync();
        var suspended = await Api.WriteAsync(Roles.Officer, $"/api/v1/supervising-organizations/{so}/business-suspensions",
            new { from = "2023-05-01", to = "2023-07-31", partial = true, legalBasis = "Art.37(3)", reason = "Supervision duties not performed." });
        var flag = (await Api.RiskAsync(io, suspended.Position())).AssertFlag("SupervisorSanctioned", "Warn", 15);
        Assert.Equal([(suspended.Position(), "BusinessSuspended")], flag.Events());
        Assert.Contains(io, await Api.FlaggedAsync("SupervisorSanctioned", suspended.Position()));
        (await Api.RiskAsync(so, suspended.Position())).AssertNoFlag("SupervisorSanctioned");

        var revoked = await Api.RevokePermitAsync(so, "2023-09-01");
        var head = await Api.HeadAsync();
        flag = (await Api.RiskAsync(io, head)).AssertFlag("SupervisorSanctioned", "High", 15 * 1.5);
        Assert.Equal(2, flag.Events().Count);
        Assert.Equal((suspended.Position(), "BusinessSuspended"), flag.Events()[0]);
        Assert.Equal("PermitRevoked", flag.Events()[1].Type);
        Assert.True(flag.Events()[1].Position > suspended.Position() && flag.Events()[1].Position <= revoked.Position());

        // The implementing organization moves to a supervising organization in good standing: the cause is gone.
        var moved = await Api.WriteAsync(Roles.Officer, $"/api/v1/implementing-organizations/{io}/supervising-organization",
            new { supervisingOrganizationId = other, effectiveOn = "2023-09-15" });
        (await Api.RiskAsync(io, moved.Position())).AssertNoFlag("SupervisorSanctioned");
        Assert.DoesNotContain(io, await Api.FlaggedAsync("SupervisorSanctioned", moved.Position()));
    }

    [Fact]
    public async Task SendingOrganizationReported_when_a_plan_names_a_sending_organization_later_reported()
    {
        var (_, io) = await OrganizationsAsync();
        var (_, bystander) = await OrganizationsAsync();
        var sender = await Api.RegisterSenderAsync("VN");
        var otherSender = await Api.RegisterSenderAsync("VN");
        await Api.AccreditAsync(io, sendingOrganizationId: sender);
        await Api.AccreditAsync(bystander, sendingOrganizationId: otherSender);
        (await Api.RiskAsync(io, await Api.HeadAsync())).AssertNoFlag("SendingOrganizationReported");

        var report = await Api.ReportSenderAsync(sender, "2023-10-01");
        var flag = (await Api.RiskAsync(io, report.Position())).AssertFlag("SendingOrganizationReported", "Warn", 10);
        Assert.Equal([(report.Position(), "SendingOrganizationReportedUnderMoc")], flag.Events());
        (await Api.RiskAsync(bystander, report.Position())).AssertNoFlag("SendingOrganizationReported");
        var flagged = await Api.FlaggedAsync("SendingOrganizationReported", report.Position());
        Assert.Contains(io, flagged);
        Assert.DoesNotContain(bystander, flagged);

        var again = await Api.ReportSenderAsync(sender, "2024-01-10");
        flag = (await Api.RiskAsync(io, again.Position())).AssertFlag("SendingOrganizationReported", "Warn", 10);
        Assert.Equal([(report.Position(), "SendingOrganizationReportedUnderMoc"), (again.Position(), "SendingOrganizationReportedUnderMoc")], flag.Events());
    }

    [Fact]
    public async Task Disqualified_when_the_legal_entity_loses_another_organization_and_cleared_when_the_organization_ends()
    {
        var entity = TestData.CorporateNumber();
        var so = await Api.RegisterSoAsync(corporateNumber: entity);
        var supervisor = await Api.RegisterSoAsync();
        var io = await Api.RegisterIoAsync(supervisor, corporateNumber: entity);
        await Api.AccreditAsync(io);
        (await Api.RiskAsync(io, await Api.HeadAsync())).AssertNoFlag("Disqualified");

        var revoked = await Api.RevokePermitAsync(so, "2023-06-01");
        var profile = await Api.RiskAsync(io, revoked.Position());
        var flag = profile.AssertFlag("Disqualified", "Warn", 30); // registered before the disqualification: warn
        var evidence = Assert.Single(flag.Events());
        Assert.Equal("EntityDisqualified", evidence.Type);
        Assert.True(evidence.Position <= revoked.Position());
        Assert.Contains(io, await Api.FlaggedAsync("Disqualified", revoked.Position()));
        (await Api.RiskAsync(so, revoked.Position())).AssertNoFlag("Disqualified"); // its own revocation is not "another organization's"

        var ended = await Api.RevokePlansAsync(io, "2023-12-01");
        (await Api.RiskAsync(io, ended.Position())).AssertNoFlag("Disqualified");
        Assert.DoesNotContain(io, await Api.FlaggedAsync("Disqualified", ended.Position()));
    }

    [Fact]
    public async Task Score_is_the_sum_of_weighted_flags_and_the_list_filters_and_orders_by_score()
    {
        var (_, io) = await OrganizationsAsync();
        var plan = await Api.AccreditAsync(io, trainees: 10);
        var inspection = await Api.StartInspectionAsync(io);
        await Api.FindAsync(inspection, "ViolenceOrThreats");
        var missing = await Api.WriteAsync(Roles.Officer, $"/api/v1/implementing-organizations/{io}/disappearances", new { count = 1, reportedOn = "2023-08-14", planNumber = plan });
        var profile = await Api.RiskAsync(io, missing.Position());
        profile.AssertFlag("TraffickingIndicator", "High", 45);
        profile.AssertFlag("Disappearances", "Warn", 20); // 1 of 10 = 10 %: warn
        Assert.Equal(65, profile.GetProperty("score").GetDouble());
        Assert.Equal("ImplementingOrganization", profile.GetProperty("organizationType").GetString());
        // Flags highest score first.
        Assert.Equal(["TraffickingIndicator", "Disappearances"], profile.FlagNames());

        var page = await Api.GetJsonAsync(Roles.Analyst, $"/api/v1/risk-flags?minScore=65&prefecture=22&minPosition={missing.Position()}");
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(items, i => i.GetProperty("organizationId").GetGuid() == io);
        Assert.All(items, i => Assert.True(i.GetProperty("score").GetDouble() >= 65));
        var scores = items.Select(i => i.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        var higher = await Api.GetJsonAsync(Roles.Analyst, $"/api/v1/risk-flags?minScore=65.5&minPosition={missing.Position()}");
        Assert.DoesNotContain(higher.GetProperty("items").EnumerateArray(), i => i.GetProperty("organizationId").GetGuid() == io);
    }
}
