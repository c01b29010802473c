using System.Net;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.ImplementingOrganizations;

public sealed class ImplementingOrganizationWriteTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Path = "/api/v1/implementing-organizations";

    [Fact]
    public async Task Registering_answers_201_with_location_etag_and_position_and_the_state_reads_back()
    {
        var so = await api.RegisterSupervisingOrganizationAsync();
        var corporate = TestData.CorporateNumber();
        using var officer = api.As(Roles.Officer);

        var response = await officer.PostJsonAsync(Path, new
        {
            corporateNumber = corporate, name = "Shizuoka Precision Castings Co., Ltd.", prefecture = "22", industry = "Casting", supervisingOrganizationId = so,
        });
        var body = await response.Expect(HttpStatusCode.Created);
        var id = body.Id();
        Assert.Equal($"/api/v1/organizations/{id}", response.Headers.Location?.ToString());
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal(body.Position().ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("X-Event-Position").Single());

        using var auditor = api.As(Roles.Auditor);
        var read = await auditor.GetAsync($"/api/v1/organizations/{id}");
        var view = await read.Expect(HttpStatusCode.OK);
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);
        Assert.Equal("ImplementingOrganization", view.GetProperty("organizationType").GetString());
        var state = view.GetProperty("state");
        Assert.Equal(corporate, state.GetProperty("corporateNumber").GetString());
        Assert.Equal("22", state.GetProperty("prefecture").GetString());
        Assert.Equal(so, state.GetProperty("supervisingOrganizationId").GetGuid());
        Assert.Empty(state.GetProperty("plans").EnumerateArray());
    }

    [Fact]
    public async Task Accrediting_a_plan_answers_201_and_the_plan_reads_back()
    {
        var io = await api.RegisterImplementingOrganizationAsync(await api.RegisterSupervisingOrganizationAsync());
        var number = TestData.PlanNumber();
        using var officer = api.As(Roles.Officer);

        await (await officer.PostJsonAsync($"{Path}/{io}/training-plans", TestData.Plan(number)))
            .ExpectWrite(HttpStatusCode.Created, $"/api/v1/organizations/{io}", version: 2);

        using var auditor = api.As(Roles.Auditor);
        var plan = (await (await auditor.GetAsync($"/api/v1/organizations/{io}")).Expect(HttpStatusCode.OK)).GetProperty("state").GetProperty("plans").EnumerateArray().Single();
        Assert.Equal(number, plan.GetProperty("number").GetString());
        Assert.Equal("No1", plan.GetProperty("type").GetString());
        Assert.False(plan.GetProperty("revoked").GetBoolean());
    }

    [Fact]
    public async Task A_plan_No3_is_refused_under_a_Specified_supervising_organization()
    {
        var io = await api.RegisterImplementingOrganizationAsync(await api.RegisterSupervisingOrganizationAsync(category: "Specified"));
        using var officer = api.As(Roles.Officer);
        var before = await api.EventCountAsync();

        var problem = await (await officer.PostJsonAsync($"{Path}/{io}/training-plans", TestData.Plan(type: "No3")))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity, "plan-type-not-allowed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("type", out _));
        Assert.Equal(before, await api.EventCountAsync());

        await (await officer.PostJsonAsync($"{Path}/{io}/training-plans", TestData.Plan(type: "No2"))).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_plan_number_is_accredited_once_across_organizations()
    {
        var so = await api.RegisterSupervisingOrganizationAsync();
        var first = await api.RegisterImplementingOrganizationAsync(so);
        var second = await api.RegisterImplementingOrganizationAsync(so);
        var number = await api.AccreditPlanAsync(first);
        using var officer = api.As(Roles.Officer);
        var before = await api.EventCountAsync();

        await (await officer.PostJsonAsync($"{Path}/{second}/training-plans", TestData.Plan(number))).ExpectProblem(HttpStatusCode.Conflict, "number-taken");
        Assert.Equal(before, await api.EventCountAsync());
    }

    [Fact]
    public async Task Revoking_every_plan_disqualifies_the_corporate_number_and_a_new_registration_with_it_is_refused()
    {
        var so = await api.RegisterSupervisingOrganizationAsync();
        var corporate = TestData.CorporateNumber();
        var io = await api.RegisterImplementingOrganizationAsync(so, corporate);
        await api.AccreditPlanAsync(io);
        await api.AccreditPlanAsync(io, type: "No2");
        using var officer = api.As(Roles.Officer);

        await (await officer.PostJsonAsync($"{Path}/{io}/plan-revocations",
            new { effectiveOn = "2024-01-15", legalBasis = "Art.16(1)(iv)", reason = "False reports on working hours." }))
            .ExpectWrite(HttpStatusCode.OK, $"/api/v1/organizations/{io}", version: 4);

        using var auditor = api.As(Roles.Auditor);
        var state = (await (await auditor.GetAsync($"/api/v1/organizations/{io}")).Expect(HttpStatusCode.OK)).GetProperty("state");
        Assert.True(state.GetProperty("fullyRevoked").GetBoolean());
        Assert.All(state.GetProperty("plans").EnumerateArray(), p => Assert.True(p.GetProperty("revoked").GetBoolean()));

        var before = await api.EventCountAsync();
        var problem = await (await officer.PostJsonAsync(Path, new
        {
            corporateNumber = corporate, name = "Renamed Castings Co., Ltd.", prefecture = "22", industry = "Casting", supervisingOrganizationId = so,
            registeredOn = "2024-02-01",
        })).ExpectProblem(HttpStatusCode.UnprocessableEntity, "entity-disqualified");
        Assert.True(problem.GetProperty("errors").TryGetProperty("corporateNumber", out _));
        Assert.Equal(before, await api.EventCountAsync());
    }

    [Fact]
    public async Task Supervisor_change_disappearances_and_acceptance_suspension_answer_200_and_read_back()
    {
        var io = await api.RegisterImplementingOrganizationAsync(await api.RegisterSupervisingOrganizationAsync());
        var plan = await api.AccreditPlanAsync(io);
        var other = await api.RegisterSupervisingOrganizationAsync();
        using var officer = api.As(Roles.Officer);
        var location = $"/api/v1/organizations/{io}";

        await (await officer.PostJsonAsync($"{Path}/{io}/supervising-organization", new { supervisingOrganizationId = other, effectiveOn = "2023-10-01" }))
            .ExpectWrite(HttpStatusCode.OK, location, version: 3);
        await (await officer.PostJsonAsync($"{Path}/{io}/disappearances", new { count = 2, reportedOn = "2023-08-14", planNumber = plan }))
            .ExpectWrite(HttpStatusCode.OK, location, version: 4);
        await (await officer.PostJsonAsync($"{Path}/{io}/acceptance-suspensions", new { from = "2023-09-01", to = "2024-02-29", reason = "Disappearances." }))
            .ExpectWrite(HttpStatusCode.OK, location, version: 5);
        await (await officer.PostJsonAsync($"{Path}/{io}/acceptance-suspensions", new { from = "2024-01-01", to = "2024-03-31", reason = "Overlaps." }))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity, "suspension-overlaps");

        using var auditor = api.As(Roles.Auditor);
        var state = (await (await auditor.GetAsync(location)).Expect(HttpStatusCode.OK)).GetProperty("state");
        Assert.Equal(other, state.GetProperty("supervisingOrganizationId").GetGuid());
        Assert.Equal(2, state.GetProperty("disappearedTrainees").GetInt32());
        Assert.Equal("2023-09-01", state.GetProperty("acceptanceSuspensions").EnumerateArray().Single().GetProperty("from").GetString());

        var history = await (await auditor.GetAsync($"{location}/history")).Expect(HttpStatusCode.OK);
        Assert.Equal(5, history.GetProperty("events").EnumerateArray().Count(e => e.GetProperty("streamId").GetString()!.StartsWith("io-", StringComparison.Ordinal)));
    }
}
