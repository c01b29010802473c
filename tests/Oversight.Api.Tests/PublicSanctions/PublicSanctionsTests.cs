using System.Net;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.PublicSanctions;

public sealed class PublicSanctionsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Narrative = "Passports of three trainees kept in the safe of Mr Yamada Taro.";
    private const string Inspector = "Inspector Suzuki Hanako";

    [Fact]
    public async Task The_register_answers_without_a_token_with_the_measures_written_their_basis_and_reason_and_no_narrative_or_inspector()
    {
        using var officer = api.As(Roles.Officer);
        using var inspector = api.As(Roles.Inspector);

        var revokedSo = await api.RegisterSupervisingOrganizationAsync();
        await (await officer.PostJsonAsync($"/api/v1/supervising-organizations/{revokedSo}/revocation",
            new { effectiveOn = "2023-01-27", legalBasis = "Art.37(1)(iv)", reason = "Falsified audit reports." })).Expect(HttpStatusCode.OK);

        var suspendedSo = await api.RegisterSupervisingOrganizationAsync();
        await (await officer.PostJsonAsync($"/api/v1/supervising-organizations/{suspendedSo}/business-suspensions",
            new { from = "2023-02-01", to = "2023-04-30", partial = true, legalBasis = "Art.37(3)", reason = "Supervision duties not performed." })).Expect(HttpStatusCode.OK);

        var revokedIo = await api.RegisterImplementingOrganizationAsync(suspendedSo);
        var plan = await api.AccreditPlanAsync(revokedIo);
        await (await officer.PostJsonAsync($"/api/v1/implementing-organizations/{revokedIo}/plan-revocations",
            new { effectiveOn = "2023-12-01", planNumbers = new[] { plan }, legalBasis = "Art.16(1)(iv)", reason = "False reports on working hours." })).Expect(HttpStatusCode.OK);

        var orderedIo = await api.RegisterImplementingOrganizationAsync(suspendedSo);
        var inspection = (await (await inspector.PostJsonAsync("/api/v1/inspections",
            new { organizationId = orderedIo, kind = "Unannounced", scheduledOn = "2023-06-01", leadInspector = Inspector })).Expect(HttpStatusCode.Created)).Id();
        await (await inspector.PostJsonAsync($"/api/v1/inspections/{inspection}/start", new { startedOn = "2023-06-01" })).Expect(HttpStatusCode.OK);
        var finding = (await (await inspector.PostJsonAsync($"/api/v1/inspections/{inspection}/findings", new
        {
            category = "ConfiscatedPassportOrResidenceCard", severity = "Critical", traineesAffected = 3, observedOn = "2023-06-01", narrative = Narrative,
        })).Expect(HttpStatusCode.Created)).Id();
        var last = await (await officer.PostJsonAsync("/api/v1/correction-orders", TestData.ImprovementOrder(orderedIo, inspection, [finding])))
            .Expect(HttpStatusCode.Created);

        using var anonymous = api.CreateClient();
        var response = await anonymous.GetAsync($"/api/v1/public/sanctions?minPosition={last.Position()}");
        var page = await response.Expect(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync();
        var items = page.GetProperty("items").EnumerateArray().ToList();

        var revocation = items.Single(i => i.GetProperty("organizationId").GetGuid() == revokedSo);
        Assert.Equal("PermitRevocation", revocation.GetProperty("type").GetString());
        Assert.Equal("Art.37(1)(iv)", revocation.GetProperty("legalBasis").GetString());
        Assert.Equal("Falsified audit reports.", revocation.GetProperty("publishedReason").GetString());
        Assert.Equal("2023-01-27", revocation.GetProperty("effectiveOn").GetString());

        var suspension = items.Single(i => i.GetProperty("organizationId").GetGuid() == suspendedSo);
        Assert.Equal("BusinessSuspension", suspension.GetProperty("type").GetString());
        Assert.Equal("Art.37(3)", suspension.GetProperty("legalBasis").GetString());
        Assert.Equal("Supervision duties not performed.", suspension.GetProperty("publishedReason").GetString());
        Assert.Equal("2023-04-30", suspension.GetProperty("until").GetString());

        var planRevocation = items.Single(i => i.GetProperty("organizationId").GetGuid() == revokedIo);
        Assert.Equal("PlanRevocation", planRevocation.GetProperty("type").GetString());
        Assert.Equal("Art.16(1)(iv)", planRevocation.GetProperty("legalBasis").GetString());
        Assert.Equal("False reports on working hours.", planRevocation.GetProperty("publishedReason").GetString());
        Assert.Equal([plan], planRevocation.GetProperty("planNumbers").EnumerateArray().Select(p => p.GetString()));

        var order = items.Single(i => i.GetProperty("organizationId").GetGuid() == orderedIo);
        Assert.Equal("ImprovementOrder", order.GetProperty("type").GetString());
        Assert.Equal("Art.15", order.GetProperty("legalBasis").GetString());
        Assert.Equal("Wages unpaid to trainees.", order.GetProperty("publishedReason").GetString());

        Assert.DoesNotContain("Yamada", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Suzuki", text, StringComparison.Ordinal);
        Assert.DoesNotContain("narrative", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("inspector", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("actor", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Bad_filters_are_400_problems()
    {
        using var anonymous = api.CreateClient();
        foreach (var query in new[] { "fromFiscalYear=1999", "toFiscalYear=2100", "fromFiscalYear=2024&toFiscalYear=2023", "limit=0", "limit=501", "minPosition=0" })
            await (await anonymous.GetAsync($"/api/v1/public/sanctions?{query}")).ExpectProblem(HttpStatusCode.BadRequest);
    }
}
