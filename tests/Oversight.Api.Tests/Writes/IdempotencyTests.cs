using System.Net;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.Writes;

public sealed class IdempotencyTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Ten_retries_of_a_finding_with_one_key_write_one_event_and_answer_alike()
    {
        var inspection = await api.ScheduleInspectionAsync(await api.RegisterSupervisingOrganizationAsync());
        using var inspector = api.As(Roles.Inspector);
        var before = await api.EventCountAsync();
        var key = Guid.NewGuid().ToString();

        var bodies = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var response = await inspector.PostJsonAsync($"/api/v1/inspections/{inspection}/findings", TestData.Finding(), key);
            await response.Expect(HttpStatusCode.Created);
            Assert.Equal(i > 0, response.Headers.Contains("Idempotent-Replayed"));
            bodies.Add(await response.Content.ReadAsStringAsync());
        }
        Assert.Single(bodies.Distinct());
        Assert.Equal(before + 1, await api.EventCountAsync());
    }

    [Fact]
    public async Task Concurrent_retries_with_one_key_write_one_registration()
    {
        using var officer = api.As(Roles.Officer);
        var before = await api.EventCountAsync();
        var json = System.Text.Json.JsonSerializer.Serialize(TestData.SupervisingOrganization(), System.Text.Json.JsonSerializerOptions.Web);
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => officer.PostJsonAsync("/api/v1/supervising-organizations", json, key)));
        var ids = new HashSet<Guid>();
        foreach (var response in responses) ids.Add((await response.Expect(HttpStatusCode.Created)).Id());
        Assert.Single(ids);
        Assert.Equal(before + 1, await api.EventCountAsync());
    }

    [Fact]
    public async Task Concurrent_retries_with_one_key_and_If_Match_write_one_finding_and_all_get_its_answer()
    {
        // Neither a lock nor a 412: the first writer's record stops the others at its key, and their retries replay it.
        // Several rounds, since a duplicate may read before, during or after the first one's commit.
        using var inspector = api.As(Roles.Inspector);
        for (var round = 0; round < 5; round++)
        {
            var inspection = await api.ScheduleInspectionAsync(await api.RegisterSupervisingOrganizationAsync());
            var etag = (await inspector.GetAsync($"/api/v1/inspections/{inspection}")).Headers.ETag!.Tag;
            var before = await api.EventCountAsync();
            var key = Guid.NewGuid().ToString();

            var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
                inspector.PostJsonAsync($"/api/v1/inspections/{inspection}/findings", TestData.Finding(), key, etag)));

            var bodies = new List<string>();
            foreach (var response in responses)
            {
                await response.Expect(HttpStatusCode.Created);
                bodies.Add(await response.Content.ReadAsStringAsync());
            }
            Assert.Single(bodies.Distinct());
            Assert.Single(responses, r => !r.Headers.Contains("Idempotent-Replayed"));
            Assert.Equal(before + 1, await api.EventCountAsync());
        }
    }

    [Fact]
    public async Task A_key_reused_for_another_request_is_refused_and_writes_nothing()
    {
        var inspection = await api.ScheduleInspectionAsync(await api.RegisterSupervisingOrganizationAsync());
        using var inspector = api.As(Roles.Inspector);
        var key = Guid.NewGuid().ToString();
        await (await inspector.PostJsonAsync($"/api/v1/inspections/{inspection}/findings", TestData.Finding(), key)).Expect(HttpStatusCode.Created);
        var before = await api.EventCountAsync();

        await (await inspector.PostJsonAsync($"/api/v1/inspections/{inspection}/findings", TestData.Finding("IllegalOvertime"), key))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        Assert.Equal(before, await api.EventCountAsync());
    }

    [Fact]
    public async Task Keys_belong_to_their_caller()
    {
        var inspection = await api.ScheduleInspectionAsync(await api.RegisterSupervisingOrganizationAsync());
        using var first = api.As(Roles.Inspector, "inspector-a");
        using var second = api.As(Roles.Inspector, "inspector-b");
        var key = Guid.NewGuid().ToString();
        var a = (await (await first.PostJsonAsync($"/api/v1/inspections/{inspection}/findings", TestData.Finding(), key)).Expect(HttpStatusCode.Created)).Id();
        var b = (await (await second.PostJsonAsync($"/api/v1/inspections/{inspection}/findings", TestData.Finding(), key)).Expect(HttpStatusCode.Created)).Id();
        Assert.NotEqual(a, b);
    }

    // Every write of the catalogue, against a world of its own so that its valid body succeeds the first time.
    public static TheoryData<string> Endpoints => WriteEndpoints.Keys;

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Ten_sends_with_one_Idempotency_Key_write_once_and_answer_alike_with_retries_marked_replayed(string endpoint)
    {
        var write = WriteEndpoints.Get(endpoint);
        var world = await World.CreateAsync(api);
        using var client = api.As(write.Role);
        var path = write.Path(world);
        var body = write.Body(world).ToJsonString();
        var key = Guid.NewGuid().ToString();
        var expected = write.Creates ? HttpStatusCode.Created : HttpStatusCode.OK;

        var before = await api.EventCountAsync();
        var first = await client.PostJsonAsync(path, body, key);
        var firstBody = await first.Expect(expected);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        var written = await api.EventCountAsync() - before;
        Assert.True(written >= 1, $"{endpoint} wrote no event");

        for (var i = 1; i < 10; i++)
        {
            var retry = await client.PostJsonAsync(path, body, key);
            var retryBody = await retry.Expect(expected);
            Assert.Equal(firstBody.GetRawText(), retryBody.GetRawText());
            Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
            Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
            Assert.Equal(first.Headers.Location, retry.Headers.Location);
            Assert.Equal(first.Headers.GetValues("X-Event-Position").Single(), retry.Headers.GetValues("X-Event-Position").Single());
        }
        Assert.Equal(before + written, await api.EventCountAsync());
    }
}
