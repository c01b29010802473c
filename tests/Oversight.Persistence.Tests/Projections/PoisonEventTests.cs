using JasperFx.Events.Projections;
using Oversight.Persistence.Integrity;
using Oversight.Persistence.Tests.Support;

namespace Oversight.Persistence.Tests.Projections;

/// <summary>
/// Poison events are never skipped silently: with our error settings Marten's daemon pauses the projection at
/// the event that fails (its default would dead-letter it and move on, leaving the read model short), and the
/// shard restarted after the fix applies it and everything after it, once.
/// </summary>
public sealed class PoisonEventTests(MartenFixture fixture) : IClassFixture<MartenFixture>
{
    [Fact]
    public async Task A_poison_event_stops_the_projection_at_it_and_is_applied_once_after_the_fix()
    {
        var schema = fixture.Schema;
        var tally = new TraineeTally(schema);
        await fixture.ExecuteAsync(tally.CreateTables);
        await using var store = fixture.Create(options => options.Projections.Add(tally, ProjectionLifecycle.Async, "poison-tally"));
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();

        TraineeTally.PoisonFixed = false;
        var stream = $"inspection-poison-{Guid.CreateVersion7()}";
        await fixture.AppendFindingsAsync(stream, 2, store: store);
        await WaitUntilAsync(async () => (await fixture.QueryAsync($"SELECT name FROM \"{schema}\".mt_event_progression WHERE name = 'poison-tally:All'")).Count == 1);
        await using (var session = store.LightweightSession())
        {
            session.AppendChained(stream, await fixture.ReadHeadAsync(stream), [MartenFixture.Finding(TraineeTally.Poison), MartenFixture.Finding("after")],
                MartenFixture.Inspector, fixture.Clock.GetUtcNow());
            await session.SaveChangesAsync();
        }

        // The shard pauses at the poison event instead of skipping it (Marten's default would skip and move on).
        var shard = "poison-tally:All";
        await WaitUntilAsync(() => daemon.StatusFor(shard) == JasperFx.AgentStatus.Paused);
        Assert.True(daemon.HasAnyPaused());
        // Classified as the event's fault, not a transient one: ProjectionRecovery, which restarts shards paused by a database
        // outage, leaves this one paused until an operator restarts it after the fix.
        var failure = daemon.CurrentAgents().Single(a => a.Name.Identity == shard).Failure;
        Assert.NotNull(failure);
        Assert.False(failure.IsTransient);
        // Recorded where another process sees it (oversight projections status reads these columns).
        await WaitUntilAsync(async () => (await fixture.QueryAsync(
            $"SELECT name FROM \"{schema}\".mt_event_progression WHERE name = '{shard}' AND agent_status = 'Paused' AND pause_reason IS NOT NULL")).Count == 1);
        Assert.Empty(await fixture.QueryAsync($"SELECT stream_id FROM \"{schema}\".tally WHERE stream_id = '{stream}' AND events > 2"));

        // After the fix the shard restarts where it stopped: every event applied, once.
        TraineeTally.PoisonFixed = true;
        await daemon.StartAgentAsync(shard, CancellationToken.None);
        await daemon.WaitForNonStaleData(TimeSpan.FromSeconds(30));
        Assert.Equal([$"{stream}:4"], await fixture.QueryAsync($"SELECT stream_id || ':' || events FROM \"{schema}\".tally WHERE stream_id = '{stream}'"));
        Assert.Equal(["1"], await fixture.QueryAsync($"SELECT max(applications)::text FROM \"{schema}\".applied"));
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition()) await Task.Delay(50, timeout.Token);
    }
}
