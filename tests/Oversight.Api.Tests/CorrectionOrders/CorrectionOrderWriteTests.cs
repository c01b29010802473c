using System.Net;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.CorrectionOrders;

public sealed class CorrectionOrderWriteTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Path = "/api/v1/correction-orders";

    private async Task<string?> StatusAsync(Guid id)
    {
        using var auditor = api.As(Roles.Auditor);
        return (await (await auditor.GetAsync($"{Path}/{id}")).Expect(HttpStatusCode.OK)).GetProperty("status").GetString();
    }

    [Fact]
    public async Task Issuing_an_order_citing_findings_answers_201_and_reads_back_open()
    {
        var io = await api.RegisterImplementingOrganizationAsync(await api.RegisterSupervisingOrganizationAsync());
        var inspection = await api.ScheduleInspectionAsync(io);
        var finding = await api.RecordFindingAsync(inspection);
        using var officer = api.As(Roles.Officer);

        var response = await officer.PostJsonAsync(Path, TestData.ImprovementOrder(io, inspection, [finding]));
        var body = await response.Expect(HttpStatusCode.Created);
        var id = body.Id();
        await response.ExpectWrite(HttpStatusCode.Created, $"{Path}/{id}", version: 1);

        using var auditor = api.As(Roles.Auditor);
        var read = await auditor.GetAsync($"{Path}/{id}");
        var order = await read.Expect(HttpStatusCode.OK);
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);
        Assert.Equal("Open", order.GetProperty("status").GetString());
        Assert.Equal("Art.15", order.GetProperty("legalBasis").GetString());
        Assert.Equal(finding, order.GetProperty("findingIds").EnumerateArray().Single().GetGuid());
    }

    [Fact]
    public async Task An_order_due_on_its_issue_date_is_refused()
    {
        var io = await api.RegisterImplementingOrganizationAsync(await api.RegisterSupervisingOrganizationAsync());
        using var officer = api.As(Roles.Officer);
        var before = await api.EventCountAsync();
        var problem = await (await officer.PostJsonAsync(Path, TestData.ImprovementOrder(io, issuedOn: "2023-07-01", dueOn: "2023-07-01")))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity, "due-before-issue");
        Assert.True(problem.GetProperty("errors").TryGetProperty("dueOn", out _));
        Assert.Equal(before, await api.EventCountAsync());
    }

    [Fact]
    public async Task Report_reject_report_verify()
    {
        var io = await api.RegisterImplementingOrganizationAsync(await api.RegisterSupervisingOrganizationAsync());
        var order = await api.IssueCorrectionOrderAsync(io);
        using var officer = api.As(Roles.Officer);
        var location = $"{Path}/{order}";

        await (await officer.PostJsonAsync($"{location}/report", new { reportedOn = "2023-08-01", summary = "Back pay settled." })).ExpectWrite(HttpStatusCode.OK, location, version: 2);
        Assert.Equal("Reported", await StatusAsync(order));

        await (await officer.PostJsonAsync($"{location}/verification", new { decision = "Rejected", decidedOn = "2023-08-05" }))
            .ExpectProblem(HttpStatusCode.BadRequest, "invalid-request");
        await (await officer.PostJsonAsync($"{location}/verification", new { decision = "Rejected", decidedOn = "2023-08-05", reason = "Time records still on paper." }))
            .ExpectWrite(HttpStatusCode.OK, location, version: 3);
        Assert.Equal("Open", await StatusAsync(order));

        await (await officer.PostJsonAsync($"{location}/report", new { reportedOn = "2023-08-20", summary = "Time records now electronic." })).ExpectWrite(HttpStatusCode.OK, location, version: 4);
        Assert.Equal("Reported", await StatusAsync(order));

        await (await officer.PostJsonAsync($"{location}/verification", new { decision = "Verified", decidedOn = "2023-09-05" })).ExpectWrite(HttpStatusCode.OK, location, version: 5);
        Assert.Equal("Verified", await StatusAsync(order));

        await (await officer.PostJsonAsync($"{location}/escalation", new { escalatedOn = "2023-10-01", to = "PlanRevocation", reason = "x" }))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity, "order-verified");
    }

    [Fact]
    public async Task An_open_order_is_escalated_once()
    {
        var io = await api.RegisterImplementingOrganizationAsync(await api.RegisterSupervisingOrganizationAsync());
        var order = await api.IssueCorrectionOrderAsync(io);
        using var officer = api.As(Roles.Officer);
        var escalation = new { escalatedOn = "2023-10-01", to = "PlanRevocation", reason = "The order was not complied with." };

        await (await officer.PostJsonAsync($"{Path}/{order}/escalation", escalation)).ExpectWrite(HttpStatusCode.OK, $"{Path}/{order}", version: 2);
        Assert.Equal("Escalated", await StatusAsync(order));
        await (await officer.PostJsonAsync($"{Path}/{order}/escalation", escalation)).ExpectProblem(HttpStatusCode.UnprocessableEntity, "already-escalated");
    }

    [Fact]
    public async Task Verifying_an_order_not_reported_is_refused()
    {
        var io = await api.RegisterImplementingOrganizationAsync(await api.RegisterSupervisingOrganizationAsync());
        var order = await api.IssueCorrectionOrderAsync(io);
        using var officer = api.As(Roles.Officer);
        await (await officer.PostJsonAsync($"{Path}/{order}/verification", new { decision = "Verified", decidedOn = "2023-09-05" }))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity, "not-reported");
    }
}
