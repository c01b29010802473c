using System.Collections.Concurrent;
using Oversight.EventStore.Tests.Support;

namespace Oversight.EventStore.Tests.Appending;

public sealed class ConcurrentAppendTests(StoreFixture fixture) : IClassFixture<StoreFixture>
{
    [Fact]
    public async Task Thirty_two_writers_on_one_stream_get_every_version_exactly_once()
    {
        const int writers = 32, eventsPerWriter = 10;
        var stream = $"contended-{Guid.NewGuid():N}";
        var conflicts = new ConcurrentBag<WrongExpectedVersionException>();
        var written = new ConcurrentBag<(long Version, string Name)>();

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < eventsPerWriter;)
            {
                var head = await fixture.Store.ReadHeadAsync(stream);
                var name = $"w{w}-e{i}";
                try
                {
                    var result = await fixture.Store.AppendAsync(stream, ExpectedVersion.Exactly(head?.Version ?? 0), [TestEvents.Added(name)]);
                    written.Add((result.LastVersion, name));
                    i++;
                }
                catch (WrongExpectedVersionException e)
                {
                    conflicts.Add(e);
                }
            }
        })));

        var events = await fixture.Store.ReadStreamAsync(stream);
        Assert.Equal(Enumerable.Range(1, writers * eventsPerWriter).Select(v => (long)v), events.Select(e => e.Version));
        Assert.Equal(writers * eventsPerWriter, events.Select(e => ((ItemAdded)e.Data).Name).Distinct().Count());
        // What each winner was told matches what is stored.
        foreach (var (version, name) in written) Assert.Equal(name, ((ItemAdded)events[(int)version - 1].Data).Name);
        Assert.NotEmpty(conflicts);
        // A loser read a version that another writer moved past: the error says where the stream really is.
        Assert.All(conflicts, c => Assert.True(c.ActualVersion > c.Expected.Value, $"actual {c.ActualVersion} vs expected {c.Expected}"));
        Assert.True((await fixture.Store.VerifyStreamAsync(stream)).IsValid);
    }

    [Fact]
    public async Task Losers_burn_no_sequence_numbers()
    {
        var stream = $"burn-{Guid.NewGuid():N}";
        await fixture.Store.AppendAsync(stream, ExpectedVersion.NoStream, [TestEvents.Added()]);
        var before = await fixture.Store.ReadLastSequenceAsync();

        for (var i = 0; i < 20; i++)
            await Assert.ThrowsAsync<WrongExpectedVersionException>(() =>
                fixture.Store.AppendAsync(stream, ExpectedVersion.Exactly(5), [TestEvents.Added()]));
        var next = await fixture.Store.AppendAsync(stream, ExpectedVersion.Exactly(1), [TestEvents.Added()]);

        Assert.True(next.LastSequence > before);
        await using var command = fixture.DataSource.CreateCommand($"SELECT last_value FROM \"{fixture.Schema}\".event_seq");
        Assert.Equal(next.LastSequence, (long)(await command.ExecuteScalarAsync())!);
        Assert.Equal(await fixture.Store.ReadLastSequenceAsync(), next.LastSequence);
    }

    [Fact]
    public async Task Conflict_carries_the_actual_version_and_writes_nothing()
    {
        var stream = $"conflict-{Guid.NewGuid():N}";
        await fixture.Store.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Many(3));

        var wrongExact = await Assert.ThrowsAsync<WrongExpectedVersionException>(() =>
            fixture.Store.AppendAsync(stream, ExpectedVersion.Exactly(2), [TestEvents.Added()]));
        var wrongNew = await Assert.ThrowsAsync<WrongExpectedVersionException>(() =>
            fixture.Store.AppendAsync(stream, ExpectedVersion.NoStream, [TestEvents.Added()]));

        Assert.Equal(3, wrongExact.ActualVersion);
        Assert.Equal(3, wrongNew.ActualVersion);
        Assert.Equal(stream, wrongExact.StreamId);
        Assert.Equal(3, await fixture.CountEventsAsync(stream));
    }

    [Fact]
    public async Task Any_appends_after_whatever_is_there_and_a_batch_is_atomic()
    {
        var stream = $"any-{Guid.NewGuid():N}";
        var first = await fixture.Store.AppendAsync(stream, ExpectedVersion.Any, TestEvents.Many(2));
        var second = await fixture.Store.AppendAsync(stream, ExpectedVersion.Any, TestEvents.Many(3));

        Assert.Equal((1, 2), (first.FirstVersion, first.LastVersion));
        Assert.Equal((3, 5), (second.FirstVersion, second.LastVersion));
        var events = await fixture.Store.ReadStreamAsync(stream);
        Assert.Equal(events.Select(e => e.Sequence).Order(), events.Select(e => e.Sequence));
        Assert.Equal(second.LastSequence, events[^1].Sequence);
    }
}
