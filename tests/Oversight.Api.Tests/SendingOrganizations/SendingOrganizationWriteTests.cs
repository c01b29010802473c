using System.Net;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.SendingOrganizations;

public sealed class SendingOrganizationWriteTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Path = "/api/v1/sending-organizations";

    private async Task<System.Text.Json.JsonElement> ReadAsync(Guid id)
    {
        using var auditor = api.As(Roles.Auditor);
        return await (await auditor.GetAsync($"{Path}/{id}")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Registering_answers_201_and_the_organization_reads_back()
    {
        using var officer = api.As(Roles.Officer);
        var response = await officer.PostJsonAsync(Path, new { country = "PH", name = "Manila Overseas Placement Inc." });
        var id = (await response.Expect(HttpStatusCode.Created)).Id();
        await response.ExpectWrite(HttpStatusCode.Created, $"{Path}/{id}", version: 1);

        var read = await ReadAsync(id);
        Assert.Equal("PH", read.GetProperty("country").GetString());
        Assert.Equal("Manila Overseas Placement Inc.", read.GetProperty("name").GetString());
        Assert.Empty(read.GetProperty("reports").EnumerateArray());
    }

    [Fact]
    public async Task A_MOC_report_answers_201_with_its_id_and_the_country_response_is_recorded_once()
    {
        var sender = await api.RegisterSendingOrganizationAsync();
        using var officer = api.As(Roles.Officer);

        var report = (await (await officer.PostJsonAsync($"{Path}/{sender}/moc-reports",
            new { reportedOn = "2022-06-15", reasons = new[] { "HighDisappearanceRate", "ExcessiveFees" } }))
            .ExpectWrite(HttpStatusCode.Created, $"{Path}/{sender}", version: 2)).Id();
        Assert.NotEqual(sender, report);

        await (await officer.PostJsonAsync($"{Path}/{sender}/moc-reports/{report}/response", new { respondedOn = "2022-07-01", response = "Investigating" }))
            .ExpectWrite(HttpStatusCode.OK, $"{Path}/{sender}", version: 3);
        await (await officer.PostJsonAsync($"{Path}/{sender}/moc-reports/{report}/response",
            new { respondedOn = "2022-09-01", response = "LicenceSuspended", details = "Licence suspended for six months." }))
            .ExpectWrite(HttpStatusCode.OK, $"{Path}/{sender}", version: 4);

        var recorded = (await ReadAsync(sender)).GetProperty("reports").EnumerateArray().Single();
        Assert.Equal(report, recorded.GetProperty("id").GetGuid());
        Assert.Equal(["HighDisappearanceRate", "ExcessiveFees"], recorded.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["Investigating", "LicenceSuspended"], recorded.GetProperty("responses").EnumerateArray().Select(r => r.GetProperty("response").GetString()));

        await (await officer.PostJsonAsync($"{Path}/{sender}/moc-reports/{report}/response", new { respondedOn = "2022-10-01", response = "LicenceRevoked" }))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity, "report-already-answered");
    }

    [Fact]
    public async Task A_response_to_an_unknown_report_or_before_the_report_is_refused()
    {
        var sender = await api.RegisterSendingOrganizationAsync();
        var report = await api.ReportUnderMocAsync(sender, "2022-06-15");
        using var officer = api.As(Roles.Officer);
        await (await officer.PostJsonAsync($"{Path}/{sender}/moc-reports/{Guid.CreateVersion7()}/response", new { respondedOn = "2022-07-01", response = "NoResponse" }))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity, "report-not-found");
        await (await officer.PostJsonAsync($"{Path}/{sender}/moc-reports/{report}/response", new { respondedOn = "2022-06-01", response = "NoResponse" }))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity, "response-before-report");
    }

    [Fact]
    public async Task While_a_sending_organization_is_suspended_no_plan_naming_it_is_accredited()
    {
        var sender = await api.RegisterSendingOrganizationAsync();
        using var officer = api.As(Roles.Officer);
        await (await officer.PostJsonAsync($"{Path}/{sender}/acceptance-suspensions", new { from = "2023-01-01", to = "2023-12-31", reason = "Excessive fees." }))
            .ExpectWrite(HttpStatusCode.OK, $"{Path}/{sender}", version: 2);
        Assert.Single((await ReadAsync(sender)).GetProperty("acceptanceSuspensions").EnumerateArray());

        var io = await api.RegisterImplementingOrganizationAsync(await api.RegisterSupervisingOrganizationAsync());
        await (await officer.PostJsonAsync($"/api/v1/implementing-organizations/{io}/training-plans", TestData.Plan(sendingOrganizationId: sender)))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity, "sending-organization-suspended");
    }
}
