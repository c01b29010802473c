using Oversight.EventStore.Tests.Support;

namespace Oversight.EventStore.Tests.Appending;

public sealed class IdempotencyTests(StoreFixture fixture) : IClassFixture<StoreFixture>
{
    [Fact]
    public async Task Hundred_retries_of_one_append_write_one_event_and_return_the_first_result()
    {
        var stream = $"idem-{Guid.NewGuid():N}";
        var options = new AppendOptions { IdempotencyKey = "key-1", ActorId = "inspector-7", ActorRole = "inspector" };

        // Sequential retries, then a burst of concurrent ones (a client retrying over a bad connection).
        var results = new List<AppendResult>();
        for (var i = 0; i < 50; i++)
            results.Add(await fixture.Store.AppendAsync(stream, ExpectedVersion.NoStream, [TestEvents.Added("same")], options));
        results.AddRange(await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            fixture.Store.AppendAsync(stream, ExpectedVersion.NoStream, [TestEvents.Added("same")], options))));

        Assert.Equal(1, await fixture.CountEventsAsync(stream));
        Assert.False(results[0].Replayed);
        Assert.All(results.Skip(1), r => Assert.True(r.Replayed));
        Assert.All(results, r => Assert.Equal((1L, 1L, results[0].LastSequence), (r.FirstVersion, r.LastVersion, r.LastSequence)));
        var stored = Assert.Single(await fixture.Store.ReadStreamAsync(stream));
        Assert.Equal("key-1", stored.IdempotencyKey);
        Assert.Equal(("inspector-7", "inspector"), (stored.ActorId, stored.ActorRole));
    }

    [Fact]
    public async Task Same_key_with_a_different_payload_is_refused_and_writes_nothing()
    {
        var stream = $"idem-diff-{Guid.NewGuid():N}";
        var options = new AppendOptions { IdempotencyKey = "key-2" };
        await fixture.Store.AppendAsync(stream, ExpectedVersion.Any, [TestEvents.Added("first")], options);

        var error = await Assert.ThrowsAsync<IdempotencyKeyConflictException>(() =>
            fixture.Store.AppendAsync(stream, ExpectedVersion.Any, [TestEvents.Added("second")], options));

        Assert.Equal(("key-2", stream), (error.Key, error.StreamId));
        Assert.Equal(1, await fixture.CountEventsAsync(stream));
    }

    [Fact]
    public async Task The_same_key_from_another_actor_is_a_different_request()
    {
        var stream = $"idem-actor-{Guid.NewGuid():N}";
        await fixture.Store.AppendAsync(stream, ExpectedVersion.Any, [TestEvents.Added()], new AppendOptions { IdempotencyKey = "k", ActorId = "alice" });

        await Assert.ThrowsAsync<IdempotencyKeyConflictException>(() =>
            fixture.Store.AppendAsync(stream, ExpectedVersion.Any, [TestEvents.Added()], new AppendOptions { IdempotencyKey = "k", ActorId = "mallory" }));
        var retry = await fixture.Store.AppendAsync(stream, ExpectedVersion.Any, [TestEvents.Added()],
            new AppendOptions { IdempotencyKey = "k", ActorId = "alice", CorrelationId = "a new request id" });
        Assert.True(retry.Replayed);
    }

    [Fact]
    public async Task A_key_is_scoped_to_its_stream()
    {
        var options = new AppendOptions { IdempotencyKey = "shared-key" };
        var a = await fixture.Store.AppendAsync($"idem-a-{Guid.NewGuid():N}", ExpectedVersion.Any, [TestEvents.Added()], options);
        var b = await fixture.Store.AppendAsync($"idem-b-{Guid.NewGuid():N}", ExpectedVersion.Any, [TestEvents.Added()], options);
        Assert.False(a.Replayed);
        Assert.False(b.Replayed);
    }
}
