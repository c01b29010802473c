using Oversight.EventStore.Tests.Support;

namespace Oversight.EventStore.Tests.Reading;

public sealed class ReadStreamTests(StoreFixture fixture) : IClassFixture<StoreFixture>
{
    [Fact]
    public async Task Reads_all_up_to_a_version_and_as_recorded_before_an_instant()
    {
        var stream = $"read-{Guid.NewGuid():N}";
        var t0 = new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);
        fixture.Clock.Set(t0);
        await fixture.Store.AppendAsync(stream, ExpectedVersion.NoStream, [TestEvents.Added("one", 1m, new DateOnly(2026, 4, 30))]);
        fixture.Clock.Set(t0.AddHours(1));
        await fixture.Store.AppendAsync(stream, ExpectedVersion.Exactly(1), [TestEvents.Added("two", 2m), TestEvents.Added("three", 3m)]);

        var all = await fixture.Store.ReadStreamAsync(stream);
        var upTo2 = await fixture.Store.ReadStreamAsync(stream, toVersion: 2);
        var knownAtT0Plus30 = await fixture.Store.ReadStreamAsync(stream, recordedBefore: t0.AddMinutes(30));
        var fromVersion2 = await fixture.Store.ReadStreamAsync(stream, fromVersion: 2);

        Assert.Equal(["one", "two", "three"], all.Select(e => ((ItemAdded)e.Data).Name));
        Assert.Equal([1L, 2L], upTo2.Select(e => e.Version));
        Assert.Equal(["one"], knownAtT0Plus30.Select(e => ((ItemAdded)e.Data).Name));
        Assert.Equal([2L, 3L], fromVersion2.Select(e => e.Version));
        Assert.Equal(t0, all[0].RecordedAt);
        Assert.Equal(new DateOnly(2026, 4, 30), all[0].OccurredOn);
        Assert.Equal("ItemAdded.v1", all[0].EventType);
        var first = (ItemAdded)all[0].Data;
        Assert.Equal(("one", 1m), (first.Name, first.Amount));
        Assert.Equal(["x", "日本語"], first.Tags);
        Assert.Empty(await fixture.Store.ReadStreamAsync($"missing-{Guid.NewGuid():N}"));
    }

    [Fact]
    public async Task Recorded_before_returns_a_prefix_even_when_a_node_clock_ran_behind()
    {
        var stream = $"skew-{Guid.NewGuid():N}";
        var t0 = new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);
        fixture.Clock.Set(t0);
        await fixture.Store.AppendAsync(stream, ExpectedVersion.NoStream, [TestEvents.Added("v1")]);
        fixture.Clock.Set(t0.AddMinutes(10));
        await fixture.Store.AppendAsync(stream, ExpectedVersion.Exactly(1), [TestEvents.Added("v2")]);
        fixture.Clock.Set(t0.AddMinutes(5)); // another node, clock behind
        await fixture.Store.AppendAsync(stream, ExpectedVersion.Exactly(2), [TestEvents.Added("v3")]);

        var asOf = await fixture.Store.ReadStreamAsync(stream, recordedBefore: t0.AddMinutes(7));
        var (folded, version) = await fixture.Store.AggregateStreamAsync(stream, "", (s, e) => s + ((ItemAdded)e).Name, recordedBefore: t0.AddMinutes(7));

        Assert.Equal([1L], asOf.Select(e => e.Version));
        Assert.Equal(("v1", 1L), (folded, version));
    }

    [Fact]
    public async Task The_global_reader_hands_over_events_of_unknown_types_instead_of_stalling()
    {
        var stream = $"unknown-{Guid.NewGuid():N}";
        var start = await fixture.Store.ReadSafeHeadAsync();
        var other = fixture.CreateStore(new Oversight.EventStore.Serialization.EventTypeRegistry().Register("Other.v1", TestEventsJson.Default.Unregistered));
        await other.AppendAsync(stream, ExpectedVersion.NoStream, [new EventData(new Unregistered(42))]);
        await fixture.Store.AppendAsync(stream, ExpectedVersion.Exactly(1), [TestEvents.Added("after")]);

        // A transaction still open elsewhere on the server (another test) may briefly hold back visibility.
        var events = new List<RecordedEvent>();
        for (var deadline = DateTime.UtcNow.AddSeconds(30); events.Count < 2 && DateTime.UtcNow < deadline; await Task.Delay(10))
            events = (await fixture.Store.ReadAllAsync(start)).Where(e => e.StreamId == stream).ToList();

        var unknown = Assert.IsType<UnknownEvent>(events[0].Data);
        Assert.Equal(("Other.v1", 1), (unknown.EventType, unknown.SchemaVersion));
        Assert.Contains("42", unknown.Json, StringComparison.Ordinal);
        Assert.IsType<ItemAdded>(events[1].Data);
        await Assert.ThrowsAsync<UnknownEventTypeException>(() => fixture.Store.ReadStreamAsync(stream));
    }

    [Fact]
    public async Task Folds_a_stream_into_state_at_a_version()
    {
        var stream = $"fold-{Guid.NewGuid():N}";
        await fixture.Store.AppendAsync(stream, ExpectedVersion.NoStream,
            [TestEvents.Added("a", 1.25m), TestEvents.Added("b", 2m), new EventData(new ItemRemoved("a", "sold")), TestEvents.Added("c", 4m)]);

        static decimal Evolve(decimal total, object e) => e switch
        {
            ItemAdded added => total + added.Amount,
            ItemRemoved => total - 1.25m,
            _ => total,
        };
        var (all, version) = await fixture.Store.AggregateStreamAsync(stream, 0m, Evolve);
        var (atThree, versionThree) = await fixture.Store.AggregateStreamAsync(stream, 0m, Evolve, toVersion: 3);
        var (none, versionNone) = await fixture.Store.AggregateStreamAsync($"none-{Guid.NewGuid():N}", 0m, Evolve);
        var (withMetadata, _) = await fixture.Store.AggregateRecordedStreamAsync(stream, (Total: 0m, Last: (DateOnly?)null),
            (s, e) => (Evolve(s.Total, e.Data), e.OccurredOn ?? s.Last));

        Assert.Equal((6m, 4L), (all, version));
        Assert.Equal((2m, 3L), (atThree, versionThree));
        Assert.Equal((0m, 0L), (none, versionNone));
        Assert.Equal((6m, new DateOnly(2026, 3, 31)), withMetadata);
    }
}
