using Oversight.EventStore.Tests.Support;

namespace Oversight.EventStore.Tests.Bulk;

public sealed class BulkAppendTests(StoreFixture fixture) : IClassFixture<StoreFixture>
{
    private static StreamAppend NewStream(string id, int events, string? key = null) =>
        new(id, ExpectedVersion.NoStream, TestEvents.Many(events, id), key);

    [Fact]
    public async Task Imports_many_new_streams_with_versions_positions_and_verifiable_chains()
    {
        var prefix = Guid.NewGuid().ToString("N")[..8];
        var batches = Enumerable.Range(0, 200).Select(i => NewStream($"{prefix}-{i:D3}", 25)).ToArray();

        var result = await fixture.Store.BulkAppendAsync(batches, new AppendOptions { ActorId = "importer", ActorRole = "admin" });

        Assert.Equal((200, 5000, 0), (result.Streams, result.Events, result.ReplayedStreams));
        var sample = await fixture.Store.ReadStreamAsync($"{prefix}-042");
        Assert.Equal(Enumerable.Range(1, 25).Select(v => (long)v), sample.Select(e => e.Version));
        Assert.Equal(sample.Select(e => e.Sequence).Order(), sample.Select(e => e.Sequence));
        Assert.All(sample, e => Assert.Equal("importer", e.ActorId));
        Assert.Equal(25, (await fixture.Store.ReadHeadAsync($"{prefix}-042"))!.Version);
        Assert.Equal(result.LastSequence, await fixture.Store.ReadLastSequenceAsync());
        foreach (var batch in batches)
            Assert.True((await fixture.Store.VerifyStreamAsync(batch.StreamId)).IsValid, batch.StreamId);
    }

    [Fact]
    public async Task Continues_existing_streams_and_the_chain_links_across_both_write_paths()
    {
        var stream = $"mixed-{Guid.NewGuid():N}";
        await fixture.Store.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Many(3));

        await fixture.Store.BulkAppendAsync([new StreamAppend(stream, ExpectedVersion.Exactly(3), TestEvents.Many(5))]);
        await fixture.Store.AppendAsync(stream, ExpectedVersion.Exactly(8), TestEvents.Many(2));

        var events = await fixture.Store.ReadStreamAsync(stream);
        Assert.Equal(Enumerable.Range(1, 10).Select(v => (long)v), events.Select(e => e.Version));
        var verification = await fixture.Store.VerifyStreamAsync(stream);
        Assert.True(verification.IsValid, verification.Reason);
    }

    [Fact]
    public async Task One_wrong_expected_version_writes_nothing_at_all()
    {
        var prefix = Guid.NewGuid().ToString("N")[..8];
        await fixture.Store.AppendAsync($"{prefix}-existing", ExpectedVersion.NoStream, TestEvents.Many(2));
        var before = await fixture.CountEventsAsync();

        var error = await Assert.ThrowsAsync<WrongExpectedVersionException>(() => fixture.Store.BulkAppendAsync(
        [
            NewStream($"{prefix}-a", 10),
            new StreamAppend($"{prefix}-existing", ExpectedVersion.Exactly(1), TestEvents.Many(1)),
            NewStream($"{prefix}-z", 10),
        ]));

        Assert.Equal(($"{prefix}-existing", 2L), (error.StreamId, error.ActualVersion));
        Assert.Equal(before, await fixture.CountEventsAsync());
        Assert.Null(await fixture.Store.ReadHeadAsync($"{prefix}-a"));
    }

    [Fact]
    public async Task Retried_bulk_with_idempotency_keys_writes_nothing_new_and_a_changed_payload_is_refused()
    {
        var prefix = Guid.NewGuid().ToString("N")[..8];
        StreamAppend[] batches = [NewStream($"{prefix}-1", 4, "import-1"), NewStream($"{prefix}-2", 4, "import-2")];
        var first = await fixture.Store.BulkAppendAsync(batches);
        var before = await fixture.CountEventsAsync();

        var retry = await fixture.Store.BulkAppendAsync(batches);
        await Assert.ThrowsAsync<IdempotencyKeyConflictException>(() => fixture.Store.BulkAppendAsync(
            [new StreamAppend($"{prefix}-1", ExpectedVersion.NoStream, TestEvents.Many(3), "import-1")]));

        Assert.Equal((0, 8), (first.ReplayedStreams, first.Events));
        Assert.Equal((2, 0), (retry.ReplayedStreams, retry.Events));
        Assert.Equal(before, await fixture.CountEventsAsync());
        // The key also protects single appends that retry an imported request.
        var single = await fixture.Store.AppendAsync($"{prefix}-1", ExpectedVersion.NoStream, TestEvents.Many(4, $"{prefix}-1"), new AppendOptions { IdempotencyKey = "import-1" });
        Assert.True(single.Replayed);
    }

    [Fact]
    public async Task Bad_input_is_refused_before_anything_is_written()
    {
        var before = await fixture.CountEventsAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Store.BulkAppendAsync([NewStream("dup", 1), NewStream("dup", 1)]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => fixture.Store.BulkAppendAsync([NewStream("", 1)]));
        await Assert.ThrowsAsync<UnknownEventTypeException>(() => fixture.Store.BulkAppendAsync(
            [new StreamAppend("x", ExpectedVersion.Any, [new EventData(new Unregistered(1))])]));
        Assert.Equal(before, await fixture.CountEventsAsync());
    }
}
