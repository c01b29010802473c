using Oversight.EventStore.Tests.Support;

namespace Oversight.EventStore.Tests.Reading;

/// <summary>
/// The global reader's guarantees: an event whose transaction commits late is never skipped, a rolled-back
/// transaction never stalls the reader, nothing is delivered twice, and each stream arrives in version order.
/// </summary>
public sealed class ForwardReaderTests(StoreFixture fixture) : IClassFixture<StoreFixture>
{
    [Fact]
    public async Task A_late_commit_holds_back_later_events_until_it_commits_then_all_arrive_once_in_order()
    {
        var start = await CatchUpAsync(GlobalPosition.Start);
        var (a, b, c) = ($"late-a-{Guid.NewGuid():N}", $"late-b-{Guid.NewGuid():N}", $"late-c-{Guid.NewGuid():N}");

        await using var connection = await fixture.DataSource.OpenConnectionAsync();
        await using var slow = await connection.BeginTransactionAsync();
        var held = await fixture.Store.AppendAsync(connection, a, ExpectedVersion.NoStream, [TestEvents.Added("a")]);
        var laterB = await fixture.Store.AppendAsync(b, ExpectedVersion.NoStream, [TestEvents.Added("b")]);
        var laterC = await fixture.Store.AppendAsync(c, ExpectedVersion.NoStream, [TestEvents.Added("c")]);
        Assert.True(held.LastSequence < laterB.LastSequence);

        // B and C are committed, but A (an earlier sequence) is not: nothing past the hole is delivered.
        Assert.Empty(await fixture.Store.ReadAllAsync(start));

        await slow.CommitAsync();
        var delivered = await ReadUntilAsync(start, 3);
        Assert.Equal([a, b, c], delivered.Select(e => e.StreamId));
        Assert.Empty(await fixture.Store.ReadAllAsync(delivered[^1].Position));
        Assert.Equal(laterC.LastSequence, delivered[^1].Sequence);
    }

    [Fact]
    public async Task A_rolled_back_transaction_leaves_a_gap_that_never_stalls_the_reader()
    {
        var start = await CatchUpAsync(GlobalPosition.Start);
        var (a, b) = ($"rb-a-{Guid.NewGuid():N}", $"rb-b-{Guid.NewGuid():N}");

        await using (var connection = await fixture.DataSource.OpenConnectionAsync())
        await using (var doomed = await connection.BeginTransactionAsync())
        {
            await fixture.Store.AppendAsync(connection, a, ExpectedVersion.NoStream, [TestEvents.Added("lost")]);
            await fixture.Store.AppendAsync(b, ExpectedVersion.NoStream, [TestEvents.Added("kept")]);
            Assert.Empty(await fixture.Store.ReadAllAsync(start));
            await doomed.RollbackAsync();
        }

        var delivered = await ReadUntilAsync(start, 1);
        Assert.Equal(b, Assert.Single(delivered).StreamId);
        Assert.Empty(await fixture.Store.ReadStreamAsync(a));
    }

    [Fact]
    public async Task Concurrent_writers_with_out_of_order_commits_are_delivered_exactly_once_in_stream_order()
    {
        var start = await CatchUpAsync(GlobalPosition.Start);
        const int writers = 8, appendsPerWriter = 60, streams = 12;
        var prefix = Guid.NewGuid().ToString("N")[..8];
        var delivered = new List<RecordedEvent>();
        using var writing = new CancellationTokenSource();

        var writerTasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            for (var i = 0; i < appendsPerWriter; i++)
            {
                var stream = $"{prefix}-{random.Next(streams)}";
                if (i % 3 == 0)
                {
                    // Hold the transaction open a little so later sequences commit first.
                    await using var connection = await fixture.DataSource.OpenConnectionAsync();
                    await using var transaction = await connection.BeginTransactionAsync();
                    await fixture.Store.AppendAsync(connection, stream, ExpectedVersion.Any, [TestEvents.Added($"{w}-{i}")]);
                    await Task.Delay(random.Next(1, 15));
                    if (i % 9 == 0) await transaction.RollbackAsync();
                    else await transaction.CommitAsync();
                }
                else
                {
                    await fixture.Store.AppendAsync(stream, ExpectedVersion.Any, [TestEvents.Added($"{w}-{i}")]);
                }
            }
        })).ToArray();

        // Read concurrently with the writers in small batches, checkpointing on the last delivered position.
        var position = start;
        var allWritten = Task.WhenAll(writerTasks);
        while (!allWritten.IsCompleted)
        {
            var batch = await fixture.Store.ReadAllAsync(position, maxCount: 7);
            delivered.AddRange(batch);
            if (batch.Count > 0) position = batch[^1].Position;
            else await Task.Delay(2);
        }
        await allWritten;

        long committed;
        await using (var count = fixture.DataSource.CreateCommand($"SELECT count(*) FROM \"{fixture.Schema}\".events WHERE stream_id LIKE '{prefix}-%'"))
            committed = (long)(await count.ExecuteScalarAsync())!;
        delivered.AddRange(await ReadUntilAsync(position, (int)(committed - delivered.Count(e => e.StreamId.StartsWith(prefix, StringComparison.Ordinal)))));
        var ours = delivered.Where(e => e.StreamId.StartsWith(prefix, StringComparison.Ordinal)).ToList();

        Assert.Equal(committed, ours.Count);
        Assert.Equal(ours.Count, ours.Select(e => e.EventId).Distinct().Count());
        foreach (var stream in ours.GroupBy(e => e.StreamId))
            Assert.Equal(Enumerable.Range(1, stream.Count()).Select(v => (long)v), stream.Select(e => e.Version));
        Assert.Equal(ours.Select(e => e.Position).Order(), ours.Select(e => e.Position));
    }

    private async Task<GlobalPosition> CatchUpAsync(GlobalPosition from)
    {
        while (true)
        {
            var batch = await fixture.Store.ReadAllAsync(from);
            if (batch.Count == 0) return from;
            from = batch[^1].Position;
        }
    }

    /// <summary>Reads until <paramref name="count"/> events arrived (other test classes' transactions may delay visibility briefly).</summary>
    private async Task<List<RecordedEvent>> ReadUntilAsync(GlobalPosition from, int count)
    {
        var events = new List<RecordedEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (events.Count < count)
        {
            var batch = await fixture.Store.ReadAllAsync(from, cancellationToken: timeout.Token);
            events.AddRange(batch);
            if (batch.Count > 0) from = batch[^1].Position;
            else await Task.Delay(10, timeout.Token);
        }
        return events;
    }
}
