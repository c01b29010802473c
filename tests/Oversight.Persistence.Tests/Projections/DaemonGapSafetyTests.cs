using JasperFx.Events.Projections;
using Marten.Services;
using Oversight.Persistence.Integrity;
using Oversight.Persistence.Tests.Support;

namespace Oversight.Persistence.Tests.Projections;

/// <summary>
/// Re-proves on Marten's async daemon, in our configuration, what our own daemon proved (ADR 2, ADR 4): with
/// concurrent writers committing out of order, rolled-back appends that burn sequence numbers, and one append
/// transaction held open for 5 s, the read model ends equal to the events and to its rebuild — no event skipped,
/// none applied twice.
/// </summary>
public sealed class DaemonGapSafetyTests(MartenFixture fixture) : IClassFixture<MartenFixture>
{
    private const string Projection = "trainee-tally";

    [Fact]
    public async Task Out_of_order_commits_rollbacks_and_a_long_transaction_leave_an_exact_read_model()
    {
        var tally = new TraineeTally(fixture.Schema);
        await fixture.ExecuteAsync(tally.CreateTables);
        await using var store = fixture.Create(options => options.Projections.Add(tally, ProjectionLifecycle.Async, Projection, async =>
        {
            async.DeleteDataInTableOnTeardown($"\"{fixture.Schema}\".tally");
            async.DeleteDataInTableOnTeardown($"\"{fixture.Schema}\".applied");
        }));
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();

        // One writer draws its sequence numbers first and commits last, 5 s later.
        var longStream = "inspection-long";
        var longRunning = Task.Run(async () =>
        {
            await using var connection = await fixture.DataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var session = store.LightweightSession(SessionOptions.ForTransaction(transaction, shouldAutoCommit: false));
            session.AppendChained(longStream, ChainHead.Empty, [MartenFixture.Finding("held open", trainees: 5)], MartenFixture.Inspector, fixture.Clock.GetUtcNow());
            await session.SaveChangesAsync();
            await Task.Delay(TimeSpan.FromSeconds(5));
            await transaction.CommitAsync();
        });
        await Task.Delay(200);

        // Eight writers, each on streams of its own, commit after random delays; one append in eight is rolled back
        // after its rows were written (its sequence numbers are burnt for good).
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            var heads = new Dictionary<string, ChainHead>();
            for (var i = 0; i < 60; i++)
            {
                var stream = $"inspection-w{w}-{i % 5}";
                var head = heads.GetValueOrDefault(stream, ChainHead.Empty);
                await using var connection = await fixture.DataSource.OpenConnectionAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                await using var session = store.LightweightSession(SessionOptions.ForTransaction(transaction, shouldAutoCommit: false));
                var action = session.AppendChained(stream, head, [MartenFixture.Finding($"w{w} i{i}", trainees: random.Next(1, 4))],
                    MartenFixture.Inspector, fixture.Clock.GetUtcNow());
                await session.SaveChangesAsync();
                await Task.Delay(random.Next(0, 15));
                if (random.Next(8) == 0)
                {
                    await transaction.RollbackAsync();
                    continue;
                }
                await transaction.CommitAsync();
                heads[stream] = ChainedAppends.HeadOf(action.Events);
            }
        })).ToList();
        await Task.WhenAll(writers);

        // While the long transaction is open the daemon must hold below its sequence numbers, not skip them.
        Assert.False(longRunning.IsCompleted, "the held transaction should still be open when the writers finish");
        await longRunning;
        await daemon.WaitForNonStaleData(TimeSpan.FromSeconds(60));

        // The scenario happened: the held event's sequence is below events committed before it, and rollbacks burnt numbers.
        Assert.Equal(["true"], await QueryAsync(
            $"SELECT ((SELECT min(seq_id) FROM {{schema}}.mt_events WHERE stream_id = '{longStream}') < max(seq_id))::text FROM {{schema}}.mt_events"));
        Assert.Equal(["true"], await QueryAsync("SELECT (count(*) < max(seq_id))::text FROM {schema}.mt_events"));
        await AssertExactAsync();
        Assert.True((await fixture.Verifier.VerifyStreamAsync(longStream)).IsValid);

        // A rebuild from the first event gives the same tables.
        await daemon.StopAllAsync();
        var before = await SnapshotAsync();
        await daemon.RebuildProjectionAsync(Projection, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal(before, await SnapshotAsync());
        await AssertExactAsync();
    }

    /// <summary>The tally equals what the committed events say, and every committed finding was applied exactly once.</summary>
    private async Task AssertExactAsync()
    {
        var expected = await QueryAsync(
            "SELECT stream_id || ':' || count(*) || ':' || sum((data->>'traineesAffected')::int) FROM {schema}.mt_events " +
            "WHERE type = 'FindingRecorded.v1' GROUP BY stream_id ORDER BY stream_id");
        var actual = await QueryAsync("SELECT stream_id || ':' || events || ':' || trainees FROM {schema}.tally ORDER BY stream_id");
        Assert.Equal(expected, actual);
        Assert.Equal(await QueryAsync("SELECT seq_id::text FROM {schema}.mt_events WHERE type = 'FindingRecorded.v1' ORDER BY seq_id"),
            await QueryAsync("SELECT seq::text FROM {schema}.applied ORDER BY seq"));
        Assert.Equal(["1"], await QueryAsync("SELECT coalesce(max(applications), 1)::text FROM {schema}.applied"));
    }

    private async Task<string> SnapshotAsync() =>
        string.Join("\n", await QueryAsync("SELECT stream_id || ':' || events || ':' || trainees FROM {schema}.tally ORDER BY stream_id"));

    private Task<List<string>> QueryAsync(string sql) => fixture.QueryAsync(sql);
}
