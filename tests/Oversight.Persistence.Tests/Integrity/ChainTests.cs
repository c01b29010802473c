using JasperFx.Events;
using Marten;
using Oversight.Domain.Inspections;
using Oversight.Persistence.Events;
using Oversight.Persistence.Integrity;
using Oversight.Persistence.Tests.Support;

namespace Oversight.Persistence.Tests.Integrity;

/// <summary>The per-stream hash chain on Marten's own tables: written with every append, re-derived by the verifier.</summary>
public sealed class ChainTests(MartenFixture store) : IClassFixture<MartenFixture>
{
    private static string NewStream() => $"inspection-{Guid.CreateVersion7()}";

    [Fact]
    public async Task Appended_events_carry_their_metadata_and_verify()
    {
        var stream = NewStream();
        var metadata = MartenFixture.Inspector with { CausationId = "cause-9", IdempotencyKey = "inspector-7:key-1", TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };
        await store.AppendFindingsAsync(stream, 2, metadata);
        store.Clock.Advance(TimeSpan.FromMinutes(5));
        await store.AppendFindingsAsync(stream, 1);

        await using var session = store.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(stream);
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Version));
        Assert.All(events, e => Assert.Equal("FindingRecorded.v1", e.EventTypeName));
        Assert.Equal("inspector-7", events[0].UserName);
        Assert.Equal("corr-1", events[0].CorrelationId);
        Assert.Equal("cause-9", events[0].CausationId);
        Assert.Equal("inspector", events[0].GetHeader(EventHeaders.ActorRole)?.ToString());
        Assert.Equal("inspector-7:key-1", events[0].GetHeader(EventHeaders.IdempotencyKey)?.ToString());
        Assert.NotNull(events[0].GetHeader(EventHeaders.OccurredOn)); // stored as "2026-03-30"; Marten reads header values back as objects
        Assert.Equal(metadata.TraceParent, events[0].GetHeader(EventHeaders.TraceParent)?.ToString());
        // Recording instants come from the injected clock, not the database's.
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), events[0].Timestamp);
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 5, 0, TimeSpan.Zero), events[2].Timestamp);
        Assert.Equal("finding 3", ((FindingRecorded)events[2].Data).Narrative);

        var result = await store.Verifier.VerifyStreamAsync(stream);
        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(3, result.EventsChecked);
        Assert.Equal([Convert.ToHexStringLower(ChainedAppends.HeadOf(events).Hash)],
            await store.QueryAsync($"SELECT headers->>'chain' FROM {{schema}}.mt_events WHERE stream_id = '{stream}' AND version = 3"));
    }

    public static TheoryData<string, string, long> Tampering => new()
    {
        { "payload edited", "UPDATE {schema}.mt_events SET data = jsonb_set(data, '{traineesAffected}', '7') WHERE stream_id = $S AND version = 2", 2 },
        { "business date edited", "UPDATE {schema}.mt_events SET headers = jsonb_set(headers, '{occurredOn}', '\"2026-01-01\"') WHERE stream_id = $S AND version = 3", 3 },
        { "actor edited", "UPDATE {schema}.mt_events SET user_name = 'someone-else' WHERE stream_id = $S AND version = 1", 1 },
        { "recording instant edited", "UPDATE {schema}.mt_events SET timestamp = timestamp - interval '1 day' WHERE stream_id = $S AND version = 4", 4 },
        { "type renamed", "UPDATE {schema}.mt_events SET type = 'FindingRetracted.v1' WHERE stream_id = $S AND version = 2", 2 },
        { "event removed", "DELETE FROM {schema}.mt_events WHERE stream_id = $S AND version = 2", 2 },
        { "last event removed", "DELETE FROM {schema}.mt_events WHERE stream_id = $S AND version = 4", 4 },
        { "events reordered", "UPDATE {schema}.mt_events SET version = -version WHERE stream_id = $S AND version IN (2, 3); " +
            "UPDATE {schema}.mt_events SET version = CASE version WHEN -2 THEN 3 ELSE 2 END WHERE stream_id = $S AND version IN (-2, -3)", 2 },
        { "hash rewritten", "UPDATE {schema}.mt_events SET headers = jsonb_set(headers, '{chain}', '\"00\"') WHERE stream_id = $S AND version = 3", 3 },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task An_edit_of_the_stored_rows_is_named(string what, string sql, long firstBadVersion)
    {
        var stream = NewStream();
        await store.AppendFindingsAsync(stream, 4);
        Assert.True((await store.Verifier.VerifyStreamAsync(stream)).IsValid);

        await store.ExecuteAsync(sql.Replace("$S", $"'{stream}'", StringComparison.Ordinal));

        var result = await store.Verifier.VerifyStreamAsync(stream);
        Assert.False(result.IsValid, what);
        Assert.Equal(firstBadVersion, result.FirstInvalidVersion);
        Assert.NotNull(result.Reason);
    }

    [Fact]
    public async Task The_full_walk_names_the_altered_stream_and_passes_the_others()
    {
        var (intact, altered) = (NewStream(), NewStream());
        await store.AppendFindingsAsync(intact, 2);
        await store.AppendFindingsAsync(altered, 2);
        await store.ExecuteAsync($"UPDATE {{schema}}.mt_events SET correlation_id = 'forged' WHERE stream_id = '{altered}' AND version = 2");

        var results = await store.Verifier.VerifyAllAsync().ToListAsync();
        Assert.Contains(results, r => r.StreamId == intact && r.IsValid);
        Assert.Contains(results, r => r.StreamId == altered && !r.IsValid && r.FirstInvalidVersion == 2);
    }

    [Fact]
    public async Task Concurrent_writers_on_one_stream_leave_one_linear_chain()
    {
        var stream = NewStream();
        await store.AppendFindingsAsync(stream, 1);
        var head = await store.ReadHeadAsync(stream);

        // Eight writers decide on the same head; Marten's expected-version check lets exactly one commit.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            await using var session = store.Store.LightweightSession();
            session.AppendChained(stream, head, [MartenFixture.Finding($"writer {i}")], MartenFixture.Inspector, store.Clock.GetUtcNow());
            try
            {
                await session.SaveChangesAsync();
                return true;
            }
            catch (Exception e) when (e is JasperFx.ConcurrencyException or Marten.Exceptions.MartenCommandException or EventStreamUnexpectedMaxEventIdException)
            {
                return false;
            }
        }));

        Assert.Equal(1, outcomes.Count(won => won));
        var result = await store.Verifier.VerifyStreamAsync(stream);
        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(2, result.EventsChecked);
    }

    [Fact]
    public async Task A_new_stream_cannot_be_started_twice()
    {
        var stream = NewStream();
        await store.AppendFindingsAsync(stream, 1);
        await using var session = store.Store.LightweightSession();
        session.AppendChained(stream, ChainHead.Empty, [MartenFixture.Finding("again")], MartenFixture.Inspector, store.Clock.GetUtcNow());
        await Assert.ThrowsAnyAsync<Exception>(() => session.SaveChangesAsync());
        Assert.True((await store.Verifier.VerifyStreamAsync(stream)).IsValid);
    }

    [Fact]
    public async Task Bulk_inserted_streams_are_chained_like_appends()
    {
        var streams = Enumerable.Range(0, 50).Select(_ => NewStream()).ToList();
        var actions = streams.Select(s => ChainedAppends.StartChained(store.Store, s,
            [.. Enumerable.Range(1, 3).Select(i => MartenFixture.Finding($"bulk {i}"))], MartenFixture.Inspector, store.Clock.GetUtcNow())).ToList();
        await store.Store.BulkInsertEventsAsync(actions);

        foreach (var stream in streams)
        {
            var result = await store.Verifier.VerifyStreamAsync(stream);
            Assert.True(result.IsValid, $"{stream}: {result.Reason}");
            Assert.Equal(3, result.EventsChecked);
        }
        // A later ordinary append continues the bulk-loaded chain.
        await store.AppendFindingsAsync(streams[0], 1);
        Assert.True((await store.Verifier.VerifyStreamAsync(streams[0])).IsValid);
    }
}
