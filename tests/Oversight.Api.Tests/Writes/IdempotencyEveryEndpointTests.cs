using System.Net;
using Oversight.Api.Tests.Support;

namespace Oversight.Api.Tests.Writes;

/// <summary>Every write of the catalogue, against a world of its own so that its valid body succeeds the first time.</summary>
public sealed class IdempotencyEveryEndpointTests(ApiFactory api) : IClassFixture<ApiFactory>
{
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
