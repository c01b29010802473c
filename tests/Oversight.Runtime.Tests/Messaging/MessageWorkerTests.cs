using System.Diagnostics;
using Oversight.EventStore;
using Oversight.Runtime.Messaging;
using Oversight.Runtime.Telemetry;
using Oversight.Runtime.Tests.Support;
using Oversight.Runtime.TestHost;

namespace Oversight.Runtime.Tests.Messaging;

public sealed class MessageWorkerTests(PostgresServer server) : RuntimeTests(server)
{
    private static readonly TestNodeSettings Manual = new() { RunProjections = false, RunWorkers = false };

    private static async Task<int> DrainAsync(TestNode node)
    {
        var total = 0;
        for (int n; (n = await node.Workers.RunOnceAsync()) > 0; ) total += n;
        return total;
    }

    [Fact]
    public async Task Subscribers_get_each_event_once_and_their_cascaded_messages_are_handled_once()
    {
        await using var node = await CreateNodeAsync(NewSchema(), Manual);
        await node.Runtime.StartAsync();
        await node.Writer.AppendAsync("acct-1", ExpectedVersion.NoStream, [TestModel.Deposit("a", 1), TestModel.Deposit("a", 2)]);
        await node.Writer.AppendAsync("acct-2", ExpectedVersion.NoStream, [new EventData(new Withdrawn("b", 1))]);

        Assert.Equal(2, await ScalarAsync(node, "SELECT count(*) FROM {schema}.outbox"));
        await DrainAsync(node);

        Assert.Equal(2, await ScalarAsync(node, $"SELECT count(*) FROM {{schema}}.effects WHERE handler = '{ReceiptHandlers.OnDeposit}'"));
        Assert.Equal(2, await ScalarAsync(node, $"SELECT count(*) FROM {{schema}}.effects WHERE handler = '{ReceiptHandlers.OnReceipt}'"));
        Assert.Equal(0, await ScalarAsync(node, "SELECT count(*) FROM {schema}.outbox"));
        Assert.Equal(4, await ScalarAsync(node, "SELECT count(*) FROM {schema}.handled_messages"));
        // The receipt names the event that caused it, and is caused by the subscriber's message.
        Assert.Equal(2, await ScalarAsync(node,
            "SELECT count(*) FROM {schema}.effects r JOIN {schema}.events e ON r.subject = e.event_id::text"));
    }

    [Fact]
    public async Task A_message_already_handled_is_dropped_when_delivered_again()
    {
        await using var node = await CreateNodeAsync(NewSchema(), Manual);
        await node.Runtime.StartAsync();
        await node.Writer.AppendAsync("acct-1", ExpectedVersion.NoStream, [TestModel.Deposit("a", 1)]);
        var id = await ScalarTextAsync(node, "SELECT id::text FROM {schema}.outbox");
        await using (var copy = node.DataSource.CreateCommand(
            $"CREATE TABLE \"{node.Store.Schema}\".outbox_copy AS SELECT * FROM \"{node.Store.Schema}\".outbox"))
            await copy.ExecuteNonQueryAsync();
        await DrainAsync(node);

        // Redelivery, as after a crash between a handler's commit and the broker's acknowledgement elsewhere.
        await using (var redeliver = node.DataSource.CreateCommand(
            $"INSERT INTO \"{node.Store.Schema}\".outbox SELECT * FROM \"{node.Store.Schema}\".outbox_copy"))
            await redeliver.ExecuteNonQueryAsync();
        Assert.Equal(1, await node.Workers.RunOnceAsync());

        Assert.Equal(1, await ScalarAsync(node, $"SELECT count(*) FROM {{schema}}.effects WHERE message_id = '{id}'"));
        Assert.Equal(0, await ScalarAsync(node, "SELECT count(*) FROM {schema}.outbox"));
    }

    [Fact]
    public async Task A_scheduled_message_is_delivered_once_when_the_injected_clock_passes_its_instant()
    {
        var delivered = new List<string>();
        await using var node = await CreateNodeAsync(NewSchema(), Manual with
        {
            Configure = b => b.Handlers.Handle<Reminder>("remind", (reminder, _, _) =>
            {
                delivered.Add(reminder.Text);
                return Task.FromResult<IEnumerable<object>>([]);
            }),
        });
        await node.Runtime.StartAsync();
        // Expressed as local midnight in Tokyo: any offset is accepted and stored as the same instant.
        var due = Clock.GetUtcNow().AddDays(14).ToOffset(TimeSpan.FromHours(9));
        await node.Bus.SendAsync([new Scheduled(new Reminder("inspection overdue"), due)]);

        Assert.Equal(0, await node.Workers.RunOnceAsync());
        Clock.Set(due.AddTicks(-10));
        Assert.Equal(0, await node.Workers.RunOnceAsync());
        Assert.Empty(delivered);

        Clock.Set(due);
        Assert.Equal(1, await node.Workers.RunOnceAsync());
        Clock.Advance(TimeSpan.FromDays(30));
        Assert.Equal(0, await node.Workers.RunOnceAsync());
        Assert.Equal(["inspection overdue"], delivered);
    }

    [Fact]
    public async Task A_failing_handler_is_retried_with_exponential_backoff_then_dead_lettered_and_replay_runs_it_after_the_fix()
    {
        var fixedAt = int.MaxValue;
        var calls = 0;
        await using var node = await CreateNodeAsync(NewSchema(), Manual with
        {
            Configure = b =>
            {
                b.Options.MessageAttempts = 4;
                b.Options.RetryBaseDelay = TimeSpan.FromSeconds(10);
                b.Handlers.Handle<Reminder>("flaky", (reminder, context, _) =>
                {
                    calls++;
                    if (calls < fixedAt) throw new InvalidOperationException($"broken on attempt {context.Attempt}");
                    return Task.FromResult<IEnumerable<object>>([]);
                });
            },
        });
        await node.Runtime.StartAsync();
        await node.Bus.SendAsync([new Reminder("x")]);

        var start = Clock.GetUtcNow();
        var retries = new List<DateTimeOffset>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            Assert.Equal(1, await node.Workers.RunOnceAsync());
            var next = await ScalarTextAsync(node, "SELECT to_char(deliver_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') FROM {schema}.outbox");
            retries.Add(DateTimeOffset.Parse(next + "Z", System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(0, await node.Workers.RunOnceAsync()); // not due yet
            Clock.Set(retries[^1]);
        }
        Assert.Equal([start.AddSeconds(10), start.AddSeconds(10 + 20), start.AddSeconds(10 + 20 + 40)], retries);

        Assert.Equal(1, await node.Workers.RunOnceAsync()); // fourth attempt: dead-lettered
        Assert.Equal(0, await ScalarAsync(node, "SELECT count(*) FROM {schema}.outbox"));
        Assert.Equal(4, await ScalarAsync(node, "SELECT attempts FROM {schema}.message_dead_letters"));
        Assert.Contains("broken on attempt 4", await ScalarTextAsync(node, "SELECT error FROM {schema}.message_dead_letters"));

        fixedAt = 0;
        Assert.Equal(1, await node.Workers.ReplayDeadLettersAsync("flaky"));
        Assert.Equal(0, await node.Workers.ReplayDeadLettersAsync("flaky"));
        Assert.Equal(1, await node.Workers.RunOnceAsync());
        Assert.Equal(5, calls);
        Assert.Equal(1, await ScalarAsync(node, "SELECT count(*) FROM {schema}.handled_messages"));
    }

    [Fact]
    public async Task A_poison_message_in_a_batch_does_not_hold_back_the_others()
    {
        var handled = new List<string>();
        await using var node = await CreateNodeAsync(NewSchema(), Manual with
        {
            Configure = b => b.Handlers.Handle<Reminder>("picky", (reminder, _, _) =>
            {
                if (reminder.Text == "poison") throw new InvalidOperationException("cannot handle poison");
                lock (handled) handled.Add(reminder.Text);
                return Task.FromResult<IEnumerable<object>>([]);
            }),
        });
        await node.Runtime.StartAsync();
        await node.Bus.SendAsync([new Reminder("a"), new Reminder("poison"), new Reminder("b"), new Reminder("c")]);

        Assert.Equal(4, await node.Workers.RunOnceAsync());
        // "a" ran in the batch that the poison undid, then again on its own: effects outside the handling
        // transaction are at-least-once; those inside it (and the handled record) commit once.
        Assert.Equal(["a", "b", "c"], handled.Distinct().Order());
        Assert.Equal(1, await ScalarAsync(node, "SELECT count(*) FROM {schema}.outbox WHERE attempts = 1 AND last_error LIKE '%cannot handle poison%'"));
        Assert.Equal(3, await ScalarAsync(node, "SELECT count(*) FROM {schema}.handled_messages"));
    }

    [Fact]
    public async Task Workers_on_two_nodes_share_the_outbox_and_handle_every_message_exactly_once()
    {
        var schema = NewSchema();
        await using var a = await CreateNodeAsync(schema, new TestNodeSettings { RunProjections = false }, TimeProvider.System);
        await using var b = await CreateNodeAsync(schema, new TestNodeSettings { RunProjections = false }, TimeProvider.System);
        var handledBy = new int[2];
        a.Workers.Handled += _ => Interlocked.Increment(ref handledBy[0]);
        b.Workers.Handled += _ => Interlocked.Increment(ref handledBy[1]);
        await a.Runtime.StartAsync();
        await b.Runtime.StartAsync();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
                await (w % 2 == 0 ? a : b).Writer.AppendAsync($"acct-{w}", ExpectedVersion.Any, [TestModel.Deposit("x", 1)]);
        })));

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await ScalarAsync(a, "SELECT count(*) FROM {schema}.effects") < 800)
        {
            Assert.True(DateTime.UtcNow < deadline, "messages not handled in time");
            await Task.Delay(50);
        }
        Assert.Equal(800, await ScalarAsync(a, "SELECT count(DISTINCT message_id) FROM {schema}.effects"));
        Assert.Equal(800, await ScalarAsync(a, "SELECT count(*) FROM {schema}.effects"));
        Assert.Equal(0, await ScalarAsync(a, "SELECT count(*) FROM {schema}.outbox"));
        Assert.True(handledBy[0] > 0 && handledBy[1] > 0, $"work was not shared: {handledBy[0]} / {handledBy[1]}");
    }

    [Fact]
    public async Task The_handler_span_joins_the_trace_of_the_request_that_appended_the_event()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is RuntimeTelemetry.Name or "request",
            Sample = (ref _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (spans) spans.Add(a); },
        };
        ActivitySource.AddActivityListener(listener);
        using var requestSource = new ActivitySource("request");

        await using var node = await CreateNodeAsync(NewSchema(), Manual);
        await node.Runtime.StartAsync();
        ActivityTraceId trace;
        using (var request = requestSource.StartActivity("POST /deposits", ActivityKind.Server)!)
        {
            trace = request.TraceId;
            await node.Writer.AppendAsync("acct-1", ExpectedVersion.NoStream, [TestModel.Deposit("a", 1)]);
        }
        await DrainAsync(node);

        List<Activity> handled;
        lock (spans) handled = spans.Where(s => s.Source.Name == RuntimeTelemetry.Name && s.TraceId == trace).ToList();
        var onDeposit = Assert.Single(handled, s => s.DisplayName == $"handle {ReceiptHandlers.OnDeposit}");
        var onReceipt = Assert.Single(handled, s => s.DisplayName == $"handle {ReceiptHandlers.OnReceipt}");
        Assert.Equal(onDeposit.SpanId, onReceipt.ParentSpanId); // the cascade carries the handler's context
    }
}
