using System.Net;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.SupervisingOrganizations;

/// <summary>The measures on a supervising organization other than registration and revocation: each answers 200 and reads back.</summary>
public sealed class SupervisingOrganizationMeasureTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Path = "/api/v1/supervising-organizations";

    private async Task<System.Text.Json.JsonElement> StateAsync(Guid id)
    {
        using var auditor = api.As(Roles.Auditor);
        return (await (await auditor.GetAsync($"/api/v1/organizations/{id}")).Expect(HttpStatusCode.OK)).GetProperty("state");
    }

    [Fact]
    public async Task Business_and_acceptance_suspensions_read_back_and_may_not_overlap()
    {
        var id = await api.RegisterSupervisingOrganizationAsync();
        using var officer = api.As(Roles.Officer);
        var location = $"/api/v1/organizations/{id}";

        await (await officer.PostJsonAsync($"{Path}/{id}/business-suspensions",
            new { from = "2023-02-01", to = "2023-04-30", partial = false, legalBasis = "Art.37(3)", reason = "Supervision duties not performed." }))
            .ExpectWrite(HttpStatusCode.OK, location, version: 2);
        await (await officer.PostJsonAsync($"{Path}/{id}/business-suspensions",
            new { from = "2023-04-01", to = "2023-05-31", legalBasis = "Art.37(3)", reason = "Again." })).ExpectProblem(HttpStatusCode.UnprocessableEntity, "suspension-overlaps");
        await (await officer.PostJsonAsync($"{Path}/{id}/acceptance-suspensions", new { from = "2023-09-01", to = "2024-02-29", reason = "Disappearances." }))
            .ExpectWrite(HttpStatusCode.OK, location, version: 3);

        var state = await StateAsync(id);
        Assert.Equal("2023-04-30", state.GetProperty("businessSuspensions").EnumerateArray().Single().GetProperty("to").GetString());
        Assert.Equal("2023-09-01", state.GetProperty("acceptanceSuspensions").EnumerateArray().Single().GetProperty("from").GetString());
    }

    [Fact]
    public async Task A_renewal_rated_excellent_runs_seven_years_and_no_more()
    {
        var id = await api.RegisterSupervisingOrganizationAsync();
        using var officer = api.As(Roles.Officer);
        await (await officer.PostJsonAsync($"{Path}/{id}/renewal", new { permitFrom = "2027-04-01", permitTo = "2034-04-30", ratedExcellent = true }))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity, "permit-term-too-long");
        await (await officer.PostJsonAsync($"{Path}/{id}/renewal", new { permitFrom = "2027-04-01", permitTo = "2034-03-31", ratedExcellent = true }))
            .ExpectWrite(HttpStatusCode.OK, $"/api/v1/organizations/{id}", version: 2);
        Assert.Equal("2034-03-31", (await StateAsync(id)).GetProperty("permit").GetProperty("to").GetString());
    }

    [Fact]
    public async Task A_downgrade_makes_the_permit_Specified_and_cannot_be_repeated()
    {
        var id = await api.RegisterSupervisingOrganizationAsync();
        using var officer = api.As(Roles.Officer);
        var downgrade = new { effectiveOn = "2024-04-01", legalBasis = "Art.37(2)", reason = "The excellence standard is no longer met." };
        await (await officer.PostJsonAsync($"{Path}/{id}/category-downgrade", downgrade)).ExpectWrite(HttpStatusCode.OK, $"/api/v1/organizations/{id}", version: 2);
        Assert.Equal("Specified", (await StateAsync(id)).GetProperty("category").GetString());
        await (await officer.PostJsonAsync($"{Path}/{id}/category-downgrade", downgrade)).ExpectProblem(HttpStatusCode.UnprocessableEntity, "already-specified");
    }

    [Fact]
    public async Task A_category_change_on_application_reads_back_and_the_same_category_is_refused()
    {
        var id = await api.RegisterSupervisingOrganizationAsync();
        using var officer = api.As(Roles.Officer);
        await (await officer.PostJsonAsync($"{Path}/{id}/category", new { category = "General", effectiveOn = "2024-04-01" }))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity, "category-unchanged");
        await (await officer.PostJsonAsync($"{Path}/{id}/category", new { category = "Specified", effectiveOn = "2024-04-01" }))
            .ExpectWrite(HttpStatusCode.OK, $"/api/v1/organizations/{id}", version: 2);
        Assert.Equal("Specified", (await StateAsync(id)).GetProperty("category").GetString());
    }

    [Fact]
    public async Task Abolition_without_a_hearing_notice_ends_the_permit_without_disqualifying()
    {
        var corporate = TestData.CorporateNumber();
        var id = await api.RegisterSupervisingOrganizationAsync(corporate);
        using var officer = api.As(Roles.Officer);
        await (await officer.PostJsonAsync($"{Path}/{id}/abolition", new { effectiveOn = "2023-01-20" })).ExpectWrite(HttpStatusCode.OK, $"/api/v1/organizations/{id}", version: 2);
        Assert.Equal("Abolished", (await StateAsync(id)).GetProperty("status").GetString());
        await (await officer.PostJsonAsync(Path, TestData.SupervisingOrganization(corporate, fromYear: 2024))).Expect(HttpStatusCode.Created);
    }
}
