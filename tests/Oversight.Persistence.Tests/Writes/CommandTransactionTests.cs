using Marten;
using Npgsql;
using Oversight.Persistence.Integrity;
using Oversight.Persistence.Tests.Support;

namespace Oversight.Persistence.Tests.Writes;

/// <summary>
/// The shape the write path takes on Marten (ADR 8): the session opens its transaction first, our own statements
/// (idempotency lock and record, unique-number claims) run on its connection, the chained events are queued, and
/// <c>SaveChangesAsync</c> commits all of it at once — or none of it.
/// </summary>
public sealed class CommandTransactionTests(MartenFixture fixture) : IClassFixture<MartenFixture>
{
    private async Task EnsureTableAsync() =>
        await fixture.ExecuteAsync("CREATE TABLE IF NOT EXISTS {schema}.claims (key text PRIMARY KEY, stream_id text NOT NULL)");

    private static async Task ClaimAsync(IDocumentSession session, string schema, string key, string stream)
    {
        await using var batch = new NpgsqlBatch(session.Connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))") { Parameters = { new NpgsqlParameter<string> { TypedValue = key } } },
                new NpgsqlBatchCommand($"INSERT INTO \"{schema}\".claims (key, stream_id) VALUES ($1, $2)")
                {
                    Parameters = { new NpgsqlParameter<string> { TypedValue = key }, new NpgsqlParameter<string> { TypedValue = stream } },
                },
            },
        };
        await batch.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Our_statements_and_the_events_commit_together_and_the_events_get_their_global_positions()
    {
        await EnsureTableAsync();
        var stream = $"so-{Guid.CreateVersion7()}";
        await using var session = fixture.Store.LightweightSession();
        await session.BeginTransactionAsync(CancellationToken.None);
        await ClaimAsync(session, fixture.Schema, $"permit-{stream}", stream);
        var action = session.AppendChained(stream, ChainHead.Empty, [MartenFixture.Finding("one"), MartenFixture.Finding("two")], MartenFixture.Inspector,
            fixture.Clock.GetUtcNow());
        await session.SaveChangesAsync();

        Assert.Equal([$"permit-{stream}"], await fixture.QueryAsync($"SELECT key FROM {{schema}}.claims WHERE stream_id = '{stream}'"));
        var sequences = await fixture.QueryAsync($"SELECT seq_id::text FROM {{schema}}.mt_events WHERE stream_id = '{stream}' ORDER BY version");
        // What the API answers as X-Event-Position and ETag comes from the appended events themselves, without another read.
        Assert.Equal(sequences, action.Events.Select(e => e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal([1L, 2L], action.Events.Select(e => e.Version));
    }

    [Fact]
    public async Task A_failure_after_our_statements_leaves_nothing_behind()
    {
        await EnsureTableAsync();
        var existing = $"so-{Guid.CreateVersion7()}";
        await fixture.AppendFindingsAsync(existing, 1);
        var stream = $"so-{Guid.CreateVersion7()}";

        await using (var session = fixture.Store.LightweightSession())
        {
            await session.BeginTransactionAsync(CancellationToken.None);
            await ClaimAsync(session, fixture.Schema, $"permit-{stream}", stream);
            session.AppendChained(stream, ChainHead.Empty, [MartenFixture.Finding("new")], MartenFixture.Inspector, fixture.Clock.GetUtcNow());
            // A second stream written on a stale head: Marten refuses the whole batch.
            session.AppendChained(existing, ChainHead.Empty, [MartenFixture.Finding("stale")], MartenFixture.Inspector, fixture.Clock.GetUtcNow());
            await Assert.ThrowsAnyAsync<Exception>(() => session.SaveChangesAsync());
        }

        Assert.Empty(await fixture.QueryAsync($"SELECT key FROM {{schema}}.claims WHERE stream_id = '{stream}'"));
        Assert.Empty(await fixture.QueryAsync($"SELECT id FROM {{schema}}.mt_streams WHERE id = '{stream}'"));
        Assert.Equal(["1"], await fixture.QueryAsync($"SELECT count(*)::text FROM {{schema}}.mt_events WHERE stream_id = '{existing}'"));
    }
}
