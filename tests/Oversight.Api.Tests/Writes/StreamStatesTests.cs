using System.Net;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Oversight.Api.Tests.Support;
using Oversight.Api.Writes;
using Oversight.Domain.Inspections;
using Oversight.Persistence.Integrity;
using Oversight.Security;

namespace Oversight.Api.Tests.Writes;

/// <summary>
/// A node folds a stream from the state it remembered after its last write there (StreamStates): what another node appended
/// since is folded in, and a remembered state that does not match the stream's event at its head is not used.
/// </summary>
public sealed class StreamStatesTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Path = "/api/v1/inspections";

    [Fact]
    public async Task A_write_folds_what_another_node_appended_after_the_remembered_state()
    {
        var inspection = await api.ScheduleInspectionAsync(await api.RegisterSupervisingOrganizationAsync());
        using var inspector = api.As(Roles.Inspector);
        await (await inspector.PostJsonAsync($"{Path}/{inspection}/findings", TestData.Finding())).ExpectWrite(HttpStatusCode.Created, version: 3);

        // Another node (its own memory) records a finding: this node's remembered state is at version 3.
        await using var other = new ApiFactory { Database = api.Database, OwnsDatabase = false };
        await other.InitializeAsync();
        using var otherInspector = other.As(Roles.Inspector);
        var theirs = (await (await otherInspector.PostJsonAsync($"{Path}/{inspection}/findings", TestData.Finding("RecordKeeping")))
            .ExpectWrite(HttpStatusCode.Created, version: 4)).Id();

        // This node decides on the whole stream: the other node's finding can be retracted here, and versions and the chain go on.
        await (await inspector.PostJsonAsync($"{Path}/{inspection}/findings/{theirs}/retraction", new { reason = "Recorded against the wrong inspection." }))
            .ExpectWrite(HttpStatusCode.OK, version: 5);
        await (await inspector.PostJsonAsync($"{Path}/{inspection}/findings/{theirs}/retraction", new { reason = "Again." }))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity, "finding-retracted");
        await (await inspector.PostJsonAsync($"{Path}/{inspection}/findings", TestData.Finding())).ExpectWrite(HttpStatusCode.Created, version: 6);

        var read = await (await inspector.GetAsync($"{Path}/{inspection}")).Expect(HttpStatusCode.OK);
        var findings = read.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(3, findings.Count);
        Assert.Single(findings, f => f.GetProperty("retracted").GetBoolean());
        var organization = read.GetProperty("organizationId").GetGuid();
        using var auditor = api.As(Roles.Auditor);
        Assert.True((await (await auditor.GetAsync($"/api/v1/organizations/{organization}/verification")).Expect(HttpStatusCode.OK)).GetProperty("isValid").GetBoolean());
    }

    [Fact]
    public async Task A_remembered_state_is_used_only_while_the_stream_holds_the_event_it_was_folded_to()
    {
        var inspection = await api.ScheduleInspectionAsync(await api.RegisterSupervisingOrganizationAsync());
        var stream = Inspection.StreamId(inspection);
        var states = api.Services.GetRequiredService<StreamStates>();
        var head = await HeadAsync(stream);
        Assert.Equal(2, head.Version);
        var cancelled = new Inspection(inspection, Guid.Empty, default, default, default, InspectionStatus.Cancelled, null, null, []);
        using var inspector = api.As(Roles.Inspector);

        // Remembered at the stream's real head: the state is used as it stands (here a cancelled inspection, so the finding is refused).
        states.Set(typeof(Inspection), stream, cancelled, head);
        await (await inspector.PostJsonAsync($"{Path}/{inspection}/findings", TestData.Finding()))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity, "inspection-not-started");

        // Remembered at a head the stream does not have (another hash at that version): the stream is read whole.
        states.Set(typeof(Inspection), stream, cancelled, head with { Hash = new byte[head.Hash.Length] });
        await (await inspector.PostJsonAsync($"{Path}/{inspection}/findings", TestData.Finding())).ExpectWrite(HttpStatusCode.Created, version: 3);

        // Remembered beyond the stream's end: read whole too.
        states.Set(typeof(Inspection), stream, cancelled, new ChainHead(9, head.Hash));
        await (await inspector.PostJsonAsync($"{Path}/{inspection}/findings", TestData.Finding())).ExpectWrite(HttpStatusCode.Created, version: 4);
    }

    private async Task<ChainHead> HeadAsync(string stream)
    {
        await using var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return ChainedAppends.HeadOf(await session.Events.FetchStreamAsync(stream));
    }
}
