using System.Net;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.Inspections;

public sealed class InspectionWriteTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Path = "/api/v1/inspections";

    private async Task<System.Text.Json.JsonElement> ReadAsync(Guid id)
    {
        using var auditor = api.As(Roles.Auditor);
        return await (await auditor.GetAsync($"{Path}/{id}")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Scheduling_answers_201_and_starting_200_and_the_state_reads_back()
    {
        var io = await api.RegisterImplementingOrganizationAsync(await api.RegisterSupervisingOrganizationAsync());
        using var inspector = api.As(Roles.Inspector);

        var scheduled = await (await inspector.PostJsonAsync(Path, new { organizationId = io, kind = "Unannounced", scheduledOn = "2023-06-01", leadInspector = "inspector-7" }))
            .Expect(HttpStatusCode.Created);
        var id = scheduled.Id();
        var read = await ReadAsync(id);
        Assert.Equal("Scheduled", read.GetProperty("status").GetString());
        Assert.Equal(io, read.GetProperty("organizationId").GetGuid());
        Assert.Equal("ImplementingOrganization", read.GetProperty("organizationType").GetString());

        await (await inspector.PostJsonAsync($"{Path}/{id}/start", new { startedOn = "2023-06-01" })).ExpectWrite(HttpStatusCode.OK, $"{Path}/{id}", version: 2);
        Assert.Equal("InProgress", (await ReadAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Scheduling_answers_location_etag_and_position()
    {
        var so = await api.RegisterSupervisingOrganizationAsync();
        using var inspector = api.As(Roles.Inspector);
        var response = await inspector.PostJsonAsync(Path, new { organizationId = so, kind = "Regular", scheduledOn = "2023-06-01", leadInspector = "inspector-7" });
        var id = (await response.Expect(HttpStatusCode.Created)).Id();
        Assert.Equal($"{Path}/{id}", response.Headers.Location?.ToString());
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.True(long.Parse(response.Headers.GetValues("X-Event-Position").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task A_retracted_finding_stays_in_the_record_marked_retracted()
    {
        var inspection = await api.ScheduleInspectionAsync(await api.RegisterSupervisingOrganizationAsync());
        using var inspector = api.As(Roles.Inspector);

        var finding = (await (await inspector.PostJsonAsync($"{Path}/{inspection}/findings", TestData.Finding()))
            .ExpectWrite(HttpStatusCode.Created, $"{Path}/{inspection}", version: 3)).Id();
        await (await inspector.PostJsonAsync($"{Path}/{inspection}/findings/{finding}/retraction", new { reason = "Recorded against the wrong inspection." }))
            .ExpectWrite(HttpStatusCode.OK, $"{Path}/{inspection}", version: 4);

        var recorded = (await ReadAsync(inspection)).GetProperty("findings").EnumerateArray().Single();
        Assert.Equal(finding, recorded.GetProperty("id").GetGuid());
        Assert.True(recorded.GetProperty("retracted").GetBoolean());

        await (await inspector.PostJsonAsync($"{Path}/{inspection}/findings/{finding}/retraction", new { reason = "Again." }))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity, "finding-retracted");
    }

    [Fact]
    public async Task A_finding_named_by_the_client_keeps_its_id()
    {
        var inspection = await api.ScheduleInspectionAsync(await api.RegisterSupervisingOrganizationAsync());
        var findingId = Guid.CreateVersion7();
        using var inspector = api.As(Roles.Inspector);
        var body = await (await inspector.PostJsonAsync($"{Path}/{inspection}/findings", TestData.Finding(findingId: findingId))).Expect(HttpStatusCode.Created);
        Assert.Equal(findingId, body.Id());
        await (await inspector.PostJsonAsync($"{Path}/{inspection}/findings", TestData.Finding(findingId: findingId)))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity, "finding-exists");
    }

    [Fact]
    public async Task After_completion_no_finding_can_be_recorded()
    {
        var inspection = await api.ScheduleInspectionAsync(await api.RegisterSupervisingOrganizationAsync());
        await api.RecordFindingAsync(inspection);
        using var inspector = api.As(Roles.Inspector);

        await (await inspector.PostJsonAsync($"{Path}/{inspection}/completion", new { completedOn = "2023-06-02", outcome = "ImprovementRecommendation" }))
            .ExpectWrite(HttpStatusCode.OK, $"{Path}/{inspection}", version: 4);
        var read = await ReadAsync(inspection);
        Assert.Equal("Completed", read.GetProperty("status").GetString());
        Assert.Equal("2023-06-02", read.GetProperty("completedOn").GetString());

        var before = await api.EventCountAsync();
        await (await inspector.PostJsonAsync($"{Path}/{inspection}/findings", TestData.Finding())).ExpectProblem(HttpStatusCode.UnprocessableEntity, "inspection-completed");
        Assert.Equal(before, await api.EventCountAsync());
    }

    [Fact]
    public async Task No_issues_cannot_be_the_outcome_while_a_finding_stands()
    {
        var inspection = await api.ScheduleInspectionAsync(await api.RegisterSupervisingOrganizationAsync());
        await api.RecordFindingAsync(inspection);
        using var inspector = api.As(Roles.Inspector);
        await (await inspector.PostJsonAsync($"{Path}/{inspection}/completion", new { completedOn = "2023-06-02", outcome = "NoIssues" }))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity, "outcome-contradicts-findings");
    }

    [Fact]
    public async Task A_cancelled_inspection_reads_back_cancelled_and_cannot_start()
    {
        var inspection = await api.ScheduleInspectionAsync(await api.RegisterSupervisingOrganizationAsync(), start: false);
        using var inspector = api.As(Roles.Inspector);
        await (await inspector.PostJsonAsync($"{Path}/{inspection}/cancellation", new { cancelledOn = "2023-05-30", reason = "The site was closed after a flood." }))
            .ExpectWrite(HttpStatusCode.OK, $"{Path}/{inspection}", version: 2);
        Assert.Equal("Cancelled", (await ReadAsync(inspection)).GetProperty("status").GetString());
        await (await inspector.PostJsonAsync($"{Path}/{inspection}/start", new { startedOn = "2023-06-01" })).ExpectProblem(HttpStatusCode.UnprocessableEntity, "not-scheduled");
    }

    [Fact]
    public async Task Unknown_inspections_are_404()
    {
        using var inspector = api.As(Roles.Inspector);
        await (await inspector.GetAsync($"{Path}/{Guid.CreateVersion7()}")).ExpectProblem(HttpStatusCode.NotFound);
        await (await inspector.PostJsonAsync($"{Path}/{Guid.CreateVersion7()}/start", new { startedOn = "2023-06-01" })).ExpectProblem(HttpStatusCode.NotFound);
    }
}
