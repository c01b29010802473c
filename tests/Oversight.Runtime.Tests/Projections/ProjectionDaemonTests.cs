using Oversight.EventStore;
using Oversight.Runtime.Projections;
using Oversight.Runtime.Tests.Support;
using Oversight.Runtime.TestHost;

namespace Oversight.Runtime.Tests.Projections;

public sealed class ProjectionDaemonTests(PostgresServer server) : RuntimeTests(server)
{
    [Fact]
    public async Task Read_model_equals_a_rebuild_after_10000_events_from_concurrent_writers_with_out_of_order_commits()
    {
        await using var node = await CreateNodeAsync(NewSchema(), new TestNodeSettings { RunWorkers = false, ProjectionBatchSize = 200 });
        await node.Runtime.StartAsync();

        await WriteConcurrentlyAsync(node, writers: 8, eventsPerWriter: 1250, streams: 200, Timeout(120));
        await WaitCaughtUpAsync(node);

        Assert.Equal(10_000, await ScalarAsync(node, "SELECT count(*) FROM {schema}.events"));
        Assert.Equal(10_000, await ScalarAsync(node, "SELECT count(DISTINCT seq) FROM {rm}.balances_applied"));
        Assert.Equal(10_000, await ScalarAsync(node, "SELECT count(*) FROM {rm}.balances_applied"));
        var live = await ReadBalancesAsync(node);
        Assert.Equal(await ExpectedBalancesAsync(node), live);

        var rebuilt = await node.Daemon.RebuildAsync("balances");
        Assert.Equal(10_000, rebuilt.EventsApplied);
        Assert.Equal(live, await ReadBalancesAsync(node));
    }

    [Fact]
    public async Task Rebuild_while_writes_continue_never_shows_an_empty_or_half_built_model_and_ends_exact()
    {
        await using var node = await CreateNodeAsync(NewSchema(), new TestNodeSettings { RunWorkers = false });
        await node.Runtime.StartAsync();
        await WriteConcurrentlyAsync(node, writers: 4, eventsPerWriter: 1000, streams: 50, Timeout());
        await WaitCaughtUpAsync(node);

        using var stop = new CancellationTokenSource();
        var writing = WriteConcurrentlyAsync(node, writers: 2, eventsPerWriter: 1000, streams: 50, stop.Token);
        // Readers: the number of applied events only grows (writes only add), and never drops to a partial copy.
        var observed = new List<long>();
        var reading = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                observed.Add(await ScalarAsync(node, "SELECT coalesce(sum(events), 0) FROM {rm}.balances"));
                await Task.Delay(2);
            }
        });
        var progress = new Recorder<RebuildProgress>();
        var rebuilt = await node.Daemon.RebuildAsync("balances", progress);
        await writing;
        await stop.CancelAsync();
        await reading;
        await WaitCaughtUpAsync(node);

        Assert.True(observed.Count > 10, $"only {observed.Count} reads during the rebuild");
        Assert.All(observed, count => Assert.True(count >= 4000, $"a reader saw {count} events applied"));
        Assert.Equal(observed.Order(), observed);
        Assert.True(rebuilt.EventsApplied >= 4000);
        Assert.True(progress.Reports.Count >= 2);
        Assert.Equal(progress.Reports.Select(p => p.EventsApplied).Order(), progress.Reports.Select(p => p.EventsApplied));
        Assert.Equal(rebuilt, progress.Reports[^1]);
        Assert.Equal(await ExpectedBalancesAsync(node), await ReadBalancesAsync(node));
        Assert.Equal(6000, await ScalarAsync(node, "SELECT count(DISTINCT seq) FROM {rm}.balances_applied"));
        Assert.Equal(6000, await ScalarAsync(node, "SELECT count(*) FROM {rm}.balances_applied"));
        Assert.Equal(0, await RebuildTablesLeftAsync(node));
    }

    [Fact]
    public async Task A_poison_event_is_retried_then_dead_lettered_the_daemon_goes_on_and_replay_succeeds_after_the_fix()
    {
        await using var node = await CreateNodeAsync(NewSchema(), new TestNodeSettings { RunWorkers = false });
        await node.Runtime.StartAsync();
        await node.Writer.AppendAsync("acct-1", ExpectedVersion.NoStream, [TestModel.Deposit("a", 10)]);
        await node.Writer.AppendAsync("acct-2", ExpectedVersion.NoStream, [TestModel.Deposit(BalancesProjection.PoisonAccount, 5)]);
        await node.Writer.AppendAsync("acct-3", ExpectedVersion.NoStream, [TestModel.Deposit("c", 7)]);
        await WaitCaughtUpAsync(node);

        var status = (await node.Daemon.GetStatusAsync()).Single();
        Assert.Equal("degraded", status.State);
        Assert.Equal(1, status.OpenDeadLetters);
        Assert.Equal(0, status.LagEvents);
        Assert.Equal(await ExpectedBalancesAsync(node, excludeAccount: BalancesProjection.PoisonAccount), await ReadBalancesAsync(node));
        Assert.Equal(node.Options.ProjectionAttempts,
            await ScalarAsync(node, "SELECT attempts FROM {schema}.projection_dead_letters WHERE stream_id = 'acct-2'"));

        var stillBroken = await node.Daemon.ReplayDeadLettersAsync("balances");
        Assert.Equal((0, 1), (stillBroken.Replayed, stillBroken.StillFailing));

        node.Balances.Fixed = true;
        var replay = await node.Daemon.ReplayDeadLettersAsync("balances");
        Assert.Equal((1, 0), (replay.Replayed, replay.StillFailing));
        status = (await node.Daemon.GetStatusAsync()).Single();
        Assert.Equal(("running", 0L), (status.State, status.OpenDeadLetters));
        Assert.Equal(await ExpectedBalancesAsync(node), await ReadBalancesAsync(node));
    }

    [Fact]
    public async Task A_failing_rebuild_leaves_the_live_model_serving_and_cleans_up()
    {
        await using var node = await CreateNodeAsync(NewSchema(), new TestNodeSettings { RunWorkers = false });
        await node.Runtime.StartAsync();
        await node.Writer.AppendAsync("acct-1", ExpectedVersion.NoStream, [TestModel.Deposit("a", 10)]);
        await node.Writer.AppendAsync("acct-2", ExpectedVersion.NoStream, [TestModel.Deposit(BalancesProjection.PoisonAccount, 5)]);
        await WaitCaughtUpAsync(node);
        var before = await ReadBalancesAsync(node);

        var error = await Assert.ThrowsAsync<ProjectionRebuildException>(() => node.Daemon.RebuildAsync("balances"));
        Assert.Equal("balances", error.Projection);
        Assert.Equal(before, await ReadBalancesAsync(node));
        Assert.Equal(0, await RebuildTablesLeftAsync(node));

        node.Balances.Fixed = true;
        await node.Daemon.RebuildAsync("balances");
        Assert.Equal(await ExpectedBalancesAsync(node), await ReadBalancesAsync(node));
        Assert.Equal("running", (await node.Daemon.GetStatusAsync()).Single().State);
    }

    [Fact]
    public async Task Status_reports_lag_in_events_and_seconds_and_wait_for_sequence_gives_read_your_writes()
    {
        var schema = NewSchema();
        await using var idle = await CreateNodeAsync(schema, new TestNodeSettings { RunProjections = false, RunWorkers = false });
        await idle.Runtime.StartAsync();
        await idle.Writer.AppendAsync("acct-1", ExpectedVersion.NoStream, [TestModel.Deposit("a", 1), TestModel.Deposit("a", 2)]);
        Clock.Advance(TimeSpan.FromSeconds(30));
        var last = await idle.Writer.AppendAsync("acct-2", ExpectedVersion.NoStream, [TestModel.Deposit("b", 3)]);

        var lagging = (await idle.Daemon.GetStatusAsync()).Single();
        Assert.Equal(3, lagging.LagEvents);
        Assert.Equal(30, lagging.LagSeconds, precision: 3);
        Assert.False(await idle.Daemon.WaitForSequenceAsync("balances", last.LastSequence, TimeSpan.FromMilliseconds(300)));

        await using var running = await CreateNodeAsync(schema);
        await running.Runtime.StartAsync();
        Assert.True(await running.Daemon.WaitForSequenceAsync("balances", last.LastSequence, TimeSpan.FromSeconds(30)));
        Assert.Equal("acct-1=3/2@2;acct-2=3/1@1", await ReadBalancesAsync(running));
        var caughtUp = (await running.Daemon.GetStatusAsync()).Single();
        Assert.Equal((0L, 0d), (caughtUp.LagEvents, caughtUp.LagSeconds));
    }

    [Fact]
    public async Task Of_two_daemons_one_leads_and_the_other_takes_over_when_it_stops()
    {
        var schema = NewSchema();
        await using var first = await CreateNodeAsync(schema, new TestNodeSettings { NodeId = "first", RunWorkers = false });
        await first.Runtime.StartAsync();
        await WaitUntilAsync(() => first.Daemon.Leading.Count == 1);
        var second = await CreateNodeAsync(schema, new TestNodeSettings { NodeId = "second", RunWorkers = false });
        await using (second)
        {
            await second.Runtime.StartAsync();
            await Task.Delay(600);
            Assert.Empty(second.Daemon.Leading);
            Assert.Equal("first", (await second.Daemon.GetStatusAsync()).Single().Leader);

            await first.Daemon.DisposeAsync();
            await WaitUntilAsync(() => second.Daemon.Leading.Count == 1);
            await second.Writer.AppendAsync("acct-1", ExpectedVersion.NoStream, [TestModel.Deposit("a", 4)]);
            await WaitCaughtUpAsync(second);
            Assert.Equal("acct-1=4/1@1", await ReadBalancesAsync(second));
            Assert.Equal("second", (await second.Daemon.GetStatusAsync()).Single().Leader);
        }
    }

    [Fact]
    public async Task Inline_projections_commit_with_the_append_or_not_at_all()
    {
        var inline = new BalancesProjection("inline_balances");
        await using var node = await CreateNodeAsync(NewSchema(), new TestNodeSettings
        {
            RunProjections = false,
            RunWorkers = false,
            Configure = b => b.Projections.Add(inline, ProjectionLifecycle.Inline),
        });
        await node.Runtime.StartAsync();

        await node.Writer.AppendAsync("acct-1", ExpectedVersion.NoStream, [TestModel.Deposit("a", 2), TestModel.Deposit("a", 3)]);
        Assert.Equal("acct-1=5/2@2", await ReadBalancesAsync(node, "inline_balances"));

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            node.Writer.AppendAsync("acct-2", ExpectedVersion.NoStream, [TestModel.Deposit(BalancesProjection.PoisonAccount, 1)]));
        Assert.Equal(0, await ScalarAsync(node, "SELECT count(*) FROM {schema}.events WHERE stream_id = 'acct-2'"));
        Assert.Equal("acct-1=5/2@2", await ReadBalancesAsync(node, "inline_balances"));

        // A retried append (same idempotency key) is not projected twice.
        var options = new AppendOptions { IdempotencyKey = "k-1" };
        await node.Writer.AppendAsync("acct-1", ExpectedVersion.Exactly(2), [TestModel.Deposit("a", 1)], options);
        await node.Writer.AppendAsync("acct-1", ExpectedVersion.Exactly(2), [TestModel.Deposit("a", 1)], options);
        Assert.Equal("acct-1=6/3@3", await ReadBalancesAsync(node, "inline_balances"));
    }

    private static Task<long> RebuildTablesLeftAsync(TestNode node) =>
        ScalarAsync(node, $"SELECT count(*) FROM pg_tables WHERE schemaname = '{node.Options.ReadModelSchema}' AND tablename LIKE '%\\_\\_rebuild'");

    private static async Task WaitUntilAsync(Func<bool> condition, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }

    private sealed class Recorder<T> : IProgress<T>
    {
        public List<T> Reports { get; } = [];
        public void Report(T value) => Reports.Add(value);
    }
}
