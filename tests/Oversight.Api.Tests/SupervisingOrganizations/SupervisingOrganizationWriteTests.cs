using System.Net;
using System.Text.Json;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.SupervisingOrganizations;

public sealed class SupervisingOrganizationWriteTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Registering_answers_201_with_location_etag_and_position_and_the_state_reads_back()
    {
        using var officer = api.As(Roles.Officer, "officer-1");
        var request = TestData.SupervisingOrganization();
        var response = await officer.PostJsonAsync("/api/v1/supervising-organizations", request);
        var body = await response.Expect(HttpStatusCode.Created);

        var id = body.Id();
        Assert.Equal($"/api/v1/organizations/{id}", response.Headers.Location?.ToString());
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal(body.GetProperty("position").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            response.Headers.GetValues("X-Event-Position").Single());

        using var auditor = api.As(Roles.Auditor);
        var read = await auditor.GetAsync($"/api/v1/organizations/{id}");
        var state = await read.Expect(HttpStatusCode.OK);
        Assert.Equal("SupervisingOrganization", state.GetProperty("organizationType").GetString());
        Assert.Equal("Active", state.GetProperty("state").GetProperty("status").GetString());
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);

        var history = await (await auditor.GetAsync($"/api/v1/organizations/{id}/history")).Expect(HttpStatusCode.OK);
        var registered = history.GetProperty("events").EnumerateArray().Single();
        Assert.Equal("SupervisingOrganizationRegistered", registered.GetProperty("type").GetString());
        Assert.Equal("officer-1", registered.GetProperty("actorId").GetString());
        Assert.Equal("officer", registered.GetProperty("actorRole").GetString());
        Assert.Equal("2022-04-01", registered.GetProperty("occurredOn").GetString());
    }

    [Fact]
    public async Task A_permit_number_is_registered_once()
    {
        using var officer = api.As(Roles.Officer);
        var first = JsonSerializer.SerializeToElement(TestData.SupervisingOrganization(), JsonSerializerOptions.Web);
        await (await officer.PostJsonAsync("/api/v1/supervising-organizations", first.GetRawText())).Expect(HttpStatusCode.Created);
        var before = await api.EventCountAsync();

        var again = first.GetRawText().Replace(first.GetProperty("corporateNumber").GetString()!, TestData.CorporateNumber(), StringComparison.Ordinal);
        await (await officer.PostJsonAsync("/api/v1/supervising-organizations", again)).ExpectProblem(HttpStatusCode.Conflict, "number-taken");
        Assert.Equal(before, await api.EventCountAsync());
    }

    [Fact]
    public async Task Revoking_a_permit_disqualifies_the_entity_and_a_new_registration_within_five_years_is_refused()
    {
        var corporate = TestData.CorporateNumber();
        var id = await api.RegisterSupervisingOrganizationAsync(corporate);
        using var officer = api.As(Roles.Officer);

        var revoked = await officer.PostJsonAsync($"/api/v1/supervising-organizations/{id}/revocation",
            new { effectiveOn = "2023-01-27", legalBasis = "Art.37(1)(iv)", reason = "Falsified audit reports." });
        await revoked.Expect(HttpStatusCode.OK);
        Assert.Equal("\"2\"", revoked.Headers.ETag?.Tag);

        await (await officer.PostJsonAsync($"/api/v1/supervising-organizations/{id}/revocation",
            new { effectiveOn = "2023-02-01", legalBasis = "Art.37(1)(iv)", reason = "Again." })).ExpectProblem(HttpStatusCode.UnprocessableEntity, "already-revoked");

        var problem = await (await officer.PostJsonAsync("/api/v1/supervising-organizations", TestData.SupervisingOrganization(corporate, fromYear: 2024)))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity, "entity-disqualified");
        Assert.True(problem.GetProperty("errors").TryGetProperty("corporateNumber", out _));
    }

    [Fact]
    public async Task A_legal_basis_that_cannot_ground_the_measure_is_422_and_a_malformed_one_400()
    {
        var id = await api.RegisterSupervisingOrganizationAsync();
        using var officer = api.As(Roles.Officer);
        await (await officer.PostJsonAsync($"/api/v1/supervising-organizations/{id}/revocation",
            new { effectiveOn = "2023-01-27", legalBasis = "Art.16(1)(i)", reason = "x" })).ExpectProblem(HttpStatusCode.UnprocessableEntity, "legal-basis-not-applicable");
        await (await officer.PostJsonAsync($"/api/v1/supervising-organizations/{id}/revocation",
            new { effectiveOn = "2023-01-27", legalBasis = "Article 37", reason = "x" })).ExpectProblem(HttpStatusCode.BadRequest, "invalid-request");
    }

    [Fact]
    public async Task Abolition_after_a_hearing_notice_still_disqualifies()
    {
        var corporate = TestData.CorporateNumber();
        var id = await api.RegisterSupervisingOrganizationAsync(corporate);
        using var officer = api.As(Roles.Officer);
        await (await officer.PostJsonAsync($"/api/v1/supervising-organizations/{id}/revocation-hearing", new { noticedOn = "2023-01-10" })).Expect(HttpStatusCode.OK);
        await (await officer.PostJsonAsync($"/api/v1/supervising-organizations/{id}/abolition", new { effectiveOn = "2023-01-20" })).Expect(HttpStatusCode.OK);
        await (await officer.PostJsonAsync("/api/v1/supervising-organizations", TestData.SupervisingOrganization(corporate, fromYear: 2024)))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity, "entity-disqualified");
    }

    [Fact]
    public async Task Unknown_organizations_are_404()
    {
        using var officer = api.As(Roles.Officer);
        await (await officer.PostJsonAsync($"/api/v1/supervising-organizations/{Guid.CreateVersion7()}/revocation",
            new { effectiveOn = "2023-01-27", legalBasis = "Art.37(1)(iv)", reason = "x" })).ExpectProblem(HttpStatusCode.NotFound);
        using var auditor = api.As(Roles.Auditor);
        await (await auditor.GetAsync($"/api/v1/organizations/{Guid.CreateVersion7()}")).ExpectProblem(HttpStatusCode.NotFound);
    }
}
