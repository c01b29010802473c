using System.Net;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.Writes;

public sealed class ConcurrencyTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Of_concurrent_writers_with_the_same_If_Match_one_succeeds_and_the_others_get_412()
    {
        var inspection = await api.ScheduleInspectionAsync(await api.RegisterSupervisingOrganizationAsync());
        using var inspector = api.As(Roles.Inspector);
        var etag = (await inspector.GetAsync($"/api/v1/inspections/{inspection}")).Headers.ETag!.Tag;
        var before = await api.EventCountAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            inspector.PostJsonAsync($"/api/v1/inspections/{inspection}/findings", TestData.Finding(), ifMatch: etag)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var response in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            await response.ExpectProblem(HttpStatusCode.PreconditionFailed, "precondition-failed");
        Assert.Equal(before + 1, await api.EventCountAsync());
    }

    [Fact]
    public async Task Without_If_Match_concurrent_findings_are_all_recorded()
    {
        // More writers on one stream than a retry loop without back-off survived (losers of a round meet again in the next); with
        // sixteen attempts every one of sixteen single writes must succeed, whatever the timing (see ConcurrentWrites).
        const int writers = 16;
        var inspection = await api.ScheduleInspectionAsync(await api.RegisterSupervisingOrganizationAsync());
        using var inspector = api.As(Roles.Inspector);
        var before = await api.EventCountAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => inspector.PostJsonAsync($"/api/v1/inspections/{inspection}/findings", TestData.Finding())));

        foreach (var response in responses) await response.Expect(HttpStatusCode.Created);
        Assert.Equal(before + writers, await api.EventCountAsync());
    }

    [Fact]
    public async Task A_stale_If_Match_is_412()
    {
        var inspection = await api.ScheduleInspectionAsync(await api.RegisterSupervisingOrganizationAsync());
        using var inspector = api.As(Roles.Inspector);
        await (await inspector.PostJsonAsync($"/api/v1/inspections/{inspection}/findings", TestData.Finding(), ifMatch: "\"1\""))
            .ExpectProblem(HttpStatusCode.PreconditionFailed);
        await (await inspector.PostJsonAsync($"/api/v1/inspections/{inspection}/findings", TestData.Finding(), ifMatch: "\"2\"")).Expect(HttpStatusCode.Created);
    }
}
