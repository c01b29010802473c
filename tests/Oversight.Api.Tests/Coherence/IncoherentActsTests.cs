using System.Net;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.Coherence;

/// <summary>
/// Records that could not have happened are refused through the API: 422 with the rule's code and the field at fault, and
/// nothing written. The rules themselves are specified in Oversight.Domain.Tests (CoherenceInTimeRuleTests).
/// </summary>
public sealed class IncoherentActsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string So = "/api/v1/supervising-organizations";
    private const string Io = "/api/v1/implementing-organizations";

    private async Task RefusedAsync(string role, string path, object body, string code, string field)
    {
        using var client = api.As(role);
        var before = await api.EventCountAsync();
        var problem = await (await client.PostJsonAsync(path, body)).ExpectProblem(HttpStatusCode.UnprocessableEntity, code);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{code} names {field}: {problem}");
        Assert.Equal(before, await api.EventCountAsync());
    }

    [Fact]
    public async Task An_implementing_organization_is_not_registered_under_a_supervisor_whose_permit_has_not_started()
    {
        var so = await api.RegisterSoAsync(permitFrom: "2023-06-01");
        await RefusedAsync(Roles.Officer, Io, new
        {
            corporateNumber = TestData.CorporateNumber(), name = "Early Castings Co., Ltd.", prefecture = "22", industry = "Casting",
            supervisingOrganizationId = so, registeredOn = "2023-01-10",
        }, "supervising-organization-not-permitted", "supervisingOrganizationId");
    }

    [Theory]
    [InlineData("2023-04-01", "permit-lapsed")] // the permit 2018-04-01 – 2023-03-31 had run out
    [InlineData("2018-03-31", "permit-not-yet-in-force")]
    public async Task A_permit_is_not_revoked_outside_its_term(string effectiveOn, string code)
    {
        var so = await api.RegisterSoAsync(permitFrom: "2018-04-01");
        await RefusedAsync(Roles.Officer, $"{So}/{so}/revocation", new { effectiveOn, legalBasis = "Art.37(1)(iv)", reason = "Falsified reports." },
            code, "effectiveOn");
    }

    [Fact]
    public async Task A_permit_that_ran_out_is_not_renewed()
    {
        var so = await api.RegisterSoAsync(permitFrom: "2018-04-01");
        await RefusedAsync(Roles.Officer, $"{So}/{so}/renewal", new { permitFrom = "2023-05-01", permitTo = "2028-03-31", ratedExcellent = false },
            "permit-lapsed", "permitFrom");
    }

    [Fact]
    public async Task A_plan_is_accredited_after_the_registration_and_before_it_starts()
    {
        var io = await api.RegisterIoAsync(await api.RegisterSoAsync(), registeredOn: "2023-01-10");
        object Plan(string accreditedOn, string from) => new
        {
            planNumber = TestData.PlanNumber(), type = "No1", trainees = 3, sendingCountry = "VN", from, to = "2024-03-31", accreditedOn,
        };
        await RefusedAsync(Roles.Officer, $"{Io}/{io}/training-plans", Plan("2023-01-09", "2023-04-01"), "before-registration", "accreditedOn");
        await RefusedAsync(Roles.Officer, $"{Io}/{io}/training-plans", Plan("2023-04-02", "2023-04-01"), "plan-starts-before-accreditation", "from");
    }

    [Fact]
    public async Task A_plan_is_not_revoked_before_it_was_accredited()
    {
        var io = await api.RegisterIoAsync(await api.RegisterSoAsync(), registeredOn: "2023-01-10");
        var plan = await api.AccreditPlanAsync(io); // accredited 2023-03-01
        await RefusedAsync(Roles.Officer, $"{Io}/{io}/plan-revocations",
            new { effectiveOn = "2023-02-28", planNumbers = new[] { plan }, legalBasis = "Art.16(1)(iv)", reason = "False reports." },
            "revoked-before-accreditation", "effectiveOn");
    }

    [Fact]
    public async Task An_inspection_is_not_scheduled_before_the_organization_existed_nor_started_before_its_date()
    {
        var io = await api.RegisterIoAsync(await api.RegisterSoAsync(), registeredOn: "2023-01-10");
        await RefusedAsync(Roles.Inspector, "/api/v1/inspections",
            new { organizationId = io, kind = "Regular", scheduledOn = "2023-01-09", leadInspector = "inspector-7" }, "before-registration", "scheduledOn");

        using var inspector = api.As(Roles.Inspector);
        var inspection = (await (await inspector.PostJsonAsync("/api/v1/inspections",
            new { organizationId = io, kind = "Regular", scheduledOn = "2023-06-01", leadInspector = "inspector-7" })).Expect(HttpStatusCode.Created)).Id();
        await RefusedAsync(Roles.Inspector, $"/api/v1/inspections/{inspection}/start", new { startedOn = "2023-05-31" }, "started-before-scheduled", "startedOn");
    }

    [Fact]
    public async Task An_order_is_not_issued_before_the_inspection_it_follows()
    {
        var io = await api.RegisterIoAsync(await api.RegisterSoAsync(), registeredOn: "2023-01-10");
        var inspection = await api.StartInspectionAsync(io, "2023-06-01");
        await RefusedAsync(Roles.Officer, "/api/v1/correction-orders", TestData.ImprovementOrder(io, inspection, issuedOn: "2023-05-31"),
            "issued-before-inspection", "issuedOn");
    }
}
