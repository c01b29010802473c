using System.Net;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.Risk;

/// <summary>
/// Analysts see no personal data: every free text written (narratives, lead inspector, reasons, summaries, MOC details) and every
/// actor id carries a marker, and no statistics or risk response (JSON or CSV) may contain one. Analysts get 403 on history.
/// </summary>
public sealed class AnalystPrivacyTests
{
    private const string Marker = "ZQX";

    [Fact]
    public async Task Statistics_and_risk_responses_carry_no_free_text_and_no_actor_ids()
    {
        await using var api = await ReadSide.StartAsync();
        var officer = $"officer-{Marker}-01";
        var inspector = $"inspector-{Marker}-02";
        var so = await api.RegisterSoAsync(subject: officer);
        var io = await api.RegisterIoAsync(so, subject: officer);
        var sender = await api.RegisterSenderAsync("VN");
        var plan = await api.AccreditAsync(io, trainees: 10, sendingOrganizationId: sender);
        var inspection = await api.StartInspectionAsync(io, leadInspector: $"Yamada Taro {Marker}-lead", subject: inspector);
        var finding = await api.FindAsync(inspection, "ConfiscatedPassportOrResidenceCard", narrative: $"Passport of trainee Nguyen Van A kept {Marker}-narrative",
            subject: inspector);
        var second = await api.StartInspectionAsync(io, "2023-09-01", leadInspector: $"Suzuki Hanako {Marker}-lead2", subject: inspector);
        var minor = await api.FindAsync(second, "RecordKeeping", "2023-09-01", narrative: $"Ledger missing {Marker}-narrative2", subject: inspector);
        await api.WriteAsync(Roles.Inspector, $"/api/v1/inspections/{second}/findings/{minor.Id()}/retraction", new { reason = $"Mistaken {Marker}-retraction" }, inspector);
        await api.WriteAsync(Roles.Officer, $"/api/v1/implementing-organizations/{io}/disappearances", new { count = 2, reportedOn = "2023-08-14", planNumber = plan }, officer);
        var order = await api.WriteAsync(Roles.Officer, "/api/v1/correction-orders", new
        {
            organizationId = io, inspectionId = inspection, issuer = "Ministers", kind = "ImprovementOrder", issuedOn = "2023-07-01", dueOn = "2023-08-31",
            findingIds = new[] { finding.Id() }, legalBasis = "Art.15", reason = $"Passports withheld {Marker}-order",
        }, officer);
        await api.WriteAsync(Roles.Officer, $"/api/v1/correction-orders/{order.Id()}/report", new { reportedOn = "2023-08-20", summary = $"Returned {Marker}-summary" }, officer);
        var report = await api.WriteAsync(Roles.Officer, $"/api/v1/sending-organizations/{sender}/moc-reports",
            new { reportedOn = "2023-10-01", reasons = new[] { "ExcessiveFees" }, details = $"Fees of 9000 USD {Marker}-details" }, officer);
        await api.WriteAsync(Roles.Officer, $"/api/v1/sending-organizations/{sender}/moc-reports/{report.Id()}/response",
            new { respondedOn = "2023-12-01", response = "GuidanceGiven", details = $"Guidance {Marker}-response" }, officer);
        await api.WriteAsync(Roles.Officer, $"/api/v1/supervising-organizations/{so}/business-suspensions",
            new { from = "2023-05-01", to = "2023-07-31", partial = true, legalBasis = "Art.37(3)", reason = $"Duties neglected {Marker}-suspension" }, officer);
        var other = await api.RegisterSoAsync("27", subject: officer);
        await api.RevokePermitAsync(other, "2023-11-01", reason: $"Forged audits {Marker}-revocation", subject: officer);
        var head = await api.HeadAsync();

        string[] paths =
        [
            $"/api/v1/statistics/revocations?groupBy=fiscalYear,organizationType,prefecture,industry,legalBasis&minPosition={head}",
            $"/api/v1/statistics/inspections?fiscalYear=2023&groupBy=organizationType,prefecture&minPosition={head}",
            $"/api/v1/statistics/moc-reports?groupBy=fiscalYear,country,response&minPosition={head}",
            $"/api/v1/statistics/organizations?fiscalYear=2023&groupBy=organizationType,prefecture,category,industry&minPosition={head}",
            $"/api/v1/organizations/{io}/risk?minPosition={head}",
            $"/api/v1/organizations/{so}/risk?minPosition={head}",
            $"/api/v1/risk-flags?minPosition={head}",
            $"/api/v1/risk-flags?flag=TraffickingIndicator&minPosition={head}",
        ];
        using var analyst = api.As(Roles.Analyst);
        var risk = await api.RiskAsync(io, head);
        Assert.Contains("TraffickingIndicator", risk.FlagNames()); // the data is there, only the texts are not
        foreach (var path in paths)
        {
            var json = await (await analyst.GetAsync(path)).Content.ReadAsStringAsync();
            Assert.DoesNotContain(Marker, json, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Nguyen", json, StringComparison.Ordinal);
            Assert.DoesNotContain("Yamada", json, StringComparison.Ordinal);
            if (!path.Contains("/statistics/", StringComparison.Ordinal)) continue;
            var csv = await api.GetCsvAsync(Roles.Analyst, path + "&format=csv", viaAccept: false);
            Assert.DoesNotContain(Marker, csv, StringComparison.OrdinalIgnoreCase);
            Assert.NotEmpty(Csv.Parse(csv));
        }

        // The history, which does carry them, is not for analysts.
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync($"/api/v1/organizations/{io}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync($"/api/v1/organizations/{io}/history?format=csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync($"/api/v1/organizations/{io}/verification")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync($"/api/v1/organizations/{io}")).StatusCode);
        using var auditor = api.As(Roles.Auditor);
        var history = await (await auditor.GetAsync($"/api/v1/organizations/{io}/history")).Content.ReadAsStringAsync();
        Assert.Contains($"{Marker}-narrative", history, StringComparison.Ordinal); // the markers were written
    }

    [Theory]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Officer)]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Analyst)]
    public async Task Statistics_and_risk_are_for_analysts_auditors_officers_and_admins(string role)
    {
        await using var api = await ReadSide.StartAsync();
        var so = await api.RegisterSoAsync();
        using var client = api.As(role);
        foreach (var path in new[] { "/api/v1/statistics/revocations", "/api/v1/statistics/inspections", "/api/v1/statistics/moc-reports",
                     "/api/v1/statistics/organizations", "/api/v1/risk-flags", $"/api/v1/organizations/{so}/risk" })
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Inspectors_and_anonymous_callers_get_no_statistics()
    {
        await using var api = await ReadSide.StartAsync();
        using var inspector = api.As(Roles.Inspector);
        using var anonymous = api.CreateClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await inspector.GetAsync("/api/v1/statistics/revocations")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await inspector.GetAsync("/api/v1/risk-flags")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/statistics/revocations")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/risk-flags")).StatusCode);
    }
}
