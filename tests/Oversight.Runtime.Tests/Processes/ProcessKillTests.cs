using Oversight.Runtime.Tests.Support;
using Oversight.Runtime.TestHost;

namespace Oversight.Runtime.Tests.Processes;

/// <summary>Real processes, killed with SIGKILL in the middle of their work.</summary>
public sealed class ProcessKillTests(PostgresServer server) : RuntimeTests(server)
{
    [Fact]
    public async Task A_node_killed_in_the_middle_of_batches_leaves_no_double_effect_and_its_successor_matches_a_rebuild()
    {
        var schema = NewSchema();
        // This process only writes; projections and handlers run in the child.
        await using var writer = await CreateNodeAsync(schema, new TestNodeSettings { RunProjections = false, RunWorkers = false }, TimeProvider.System);
        await writer.Runtime.StartAsync();
        await using (var child = await TestHostProcess.StartAsync(Server.ConnectionString, schema, "victim", delayMs: 2))
        {
            await WriteConcurrentlyAsync(writer, writers: 4, eventsPerWriter: 250, streams: 40, Timeout(120));
            // Let it get into the work, then kill it: 2 ms per event in batches of 100 keeps it inside a batch.
            await WaitUntilAsync(async () => await ScalarAsync(writer, "SELECT count(*) FROM {rm}.balances_applied") >= 200
                                           && await ScalarAsync(writer, "SELECT count(*) FROM {schema}.handled_messages") >= 50);
            await child.KillAsync();
        }
        var appliedAtKill = await ScalarAsync(writer, "SELECT count(*) FROM {rm}.balances_applied");
        Assert.True(appliedAtKill < 1000, "the child finished before it was killed; the test proves nothing");

        await using (var successor = await TestHostProcess.StartAsync(Server.ConnectionString, schema, "successor", delayMs: 0))
        {
            await WaitCaughtUpAsync(writer);
            await WaitUntilAsync(async () => await ScalarAsync(writer, "SELECT count(*) FROM {schema}.outbox") == 0);
        }

        Assert.Equal(1000, await ScalarAsync(writer, "SELECT count(*) FROM {rm}.balances_applied"));
        Assert.Equal(1000, await ScalarAsync(writer, "SELECT count(DISTINCT seq) FROM {rm}.balances_applied"));
        await AssertEffectsExactlyOnceAsync(writer);
        var live = await ReadBalancesAsync(writer);
        Assert.Equal(await ExpectedBalancesAsync(writer), live);
        await writer.Daemon.RebuildAsync("balances");
        Assert.Equal(live, await ReadBalancesAsync(writer));
    }

    [Fact]
    public async Task Two_daemon_processes_one_leads_when_the_leader_is_killed_the_other_takes_over_and_the_result_is_exact()
    {
        var schema = NewSchema();
        await using var writer = await CreateNodeAsync(schema, new TestNodeSettings { RunProjections = false, RunWorkers = false }, TimeProvider.System);
        await writer.Runtime.StartAsync();
        await using var a = await TestHostProcess.StartAsync(Server.ConnectionString, schema, "a", delayMs: 1);
        await a.WaitForLineAsync("leading balances");
        await using var b = await TestHostProcess.StartAsync(Server.ConnectionString, schema, "b", delayMs: 1);
        Assert.Equal("a", (await writer.Daemon.GetStatusAsync()).Single().Leader);

        var writing = WriteConcurrentlyAsync(writer, writers: 4, eventsPerWriter: 500, streams: 40, Timeout(120));
        await WaitUntilAsync(async () => await ScalarAsync(writer, "SELECT count(*) FROM {rm}.balances_applied") >= 300);
        var killedAt = DateTime.UtcNow;
        await a.KillAsync();
        await b.WaitForLineAsync("leading balances", seconds: 15);
        var takeover = DateTime.UtcNow - killedAt;
        await writing;
        await WaitCaughtUpAsync(writer);

        Assert.True(takeover < TimeSpan.FromSeconds(5), $"takeover took {takeover.TotalSeconds:F1} s");
        Assert.Equal("b", (await writer.Daemon.GetStatusAsync()).Single().Leader);
        Assert.Equal(2000, await ScalarAsync(writer, "SELECT count(*) FROM {rm}.balances_applied"));
        Assert.Equal(2000, await ScalarAsync(writer, "SELECT count(DISTINCT seq) FROM {rm}.balances_applied"));
        var live = await ReadBalancesAsync(writer);
        Assert.Equal(await ExpectedBalancesAsync(writer), live);
        await writer.Daemon.RebuildAsync("balances");
        Assert.Equal(live, await ReadBalancesAsync(writer));
        await AssertEffectsExactlyOnceAsync(writer);
    }

    /// <summary>Every deposit written through the writer was handled exactly once, and so was its receipt.</summary>
    private static async Task AssertEffectsExactlyOnceAsync(TestNode node)
    {
        await WaitUntilAsync(async () => await ScalarAsync(node, "SELECT count(*) FROM {schema}.outbox") == 0);
        var subscribed = await ScalarAsync(node,
            $"SELECT count(*) FROM {{schema}}.events WHERE event_type = 'Deposited' AND correlation_id IS DISTINCT FROM '{RawAppend}'");
        Assert.True(subscribed > 500);
        Assert.Equal(subscribed, await ScalarAsync(node, "SELECT count(*) FROM {schema}.handled_messages WHERE handler = 'deposit-effects'"));
        Assert.Equal(subscribed, await ScalarAsync(node, "SELECT count(*) FROM {schema}.effects WHERE handler = 'deposit-effects'"));
        Assert.Equal(subscribed, await ScalarAsync(node, "SELECT count(DISTINCT message_id) FROM {schema}.effects WHERE handler = 'deposit-effects'"));
        Assert.Equal(subscribed, await ScalarAsync(node, "SELECT count(*) FROM {schema}.effects WHERE handler = 'receipt-effects'"));
        Assert.Equal(subscribed, await ScalarAsync(node, "SELECT count(DISTINCT subject) FROM {schema}.effects WHERE handler = 'receipt-effects'"));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, int seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(25);
        }
    }
}
