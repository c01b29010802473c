using Oversight.EventStore.Tests.Support;

namespace Oversight.EventStore.Tests.Integrity;

public sealed class TamperEvidenceTests(StoreFixture fixture) : IClassFixture<StoreFixture>
{
    private async Task<(string Stream, IReadOnlyList<RecordedEvent> Events)> FiveEventStreamAsync()
    {
        var stream = $"chain-{Guid.NewGuid():N}";
        var options = new AppendOptions { ActorId = "officer-1", ActorRole = "officer", CorrelationId = "c-1", CausationId = "cause-1" };
        await fixture.Store.AppendAsync(stream, ExpectedVersion.NoStream, [TestEvents.Added("a", 1.50m), TestEvents.Added("b", 1e-3m)], options);
        await fixture.Store.AppendAsync(stream, ExpectedVersion.Exactly(2), [TestEvents.Added("ß \"quoted\" \\ \u0001", 12345678901234.5m)], options with { IdempotencyKey = "k" });
        await fixture.Store.AppendAsync(stream, ExpectedVersion.Exactly(3), [new EventData(new ItemRemoved("a", "改善命令")), TestEvents.Added("e", -0.0m)]);
        return (stream, await fixture.Store.ReadStreamAsync(stream));
    }

    [Fact]
    public async Task An_untouched_stream_verifies()
    {
        var (stream, _) = await FiveEventStreamAsync();
        var result = await fixture.Store.VerifyStreamAsync(stream);
        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(5, result.EventsChecked);
    }

    [Theory]
    [InlineData("data = jsonb_set(data, '{amount}', '999')")]
    [InlineData("actor_id = 'someone-else'")]
    [InlineData("occurred_on = occurred_on + 1")]
    [InlineData("recorded_at = recorded_at - interval '1 day'")]
    [InlineData("event_type = 'ItemRemoved.v1'")]
    [InlineData("schema_version = 2")]
    [InlineData("event_id = gen_random_uuid()")]
    [InlineData("correlation_id = 'other'")]
    [InlineData("causation_id = NULL")]
    [InlineData("idempotency_key = 'forged'")]
    [InlineData("hash = sha256(hash)")]
    public async Task Changing_any_stored_field_of_one_event_names_that_event(string change)
    {
        var (stream, events) = await FiveEventStreamAsync();
        await fixture.ExecuteAsync($"UPDATE {{schema}}.events SET {change} WHERE stream_id = '{stream}' AND version = 3");

        var result = await fixture.Store.VerifyStreamAsync(stream);

        Assert.False(result.IsValid);
        Assert.Equal(3, result.FirstInvalidVersion);
        if (!change.StartsWith("event_id", StringComparison.Ordinal)) Assert.Equal(events[2].EventId, result.FirstInvalidEventId);
        Assert.Equal(events[2].Sequence, result.FirstInvalidSequence);
        Assert.Equal(2, result.EventsChecked);
    }

    [Fact]
    public async Task Removing_the_last_event_or_reordering_events_is_detected()
    {
        var (truncated, _) = await FiveEventStreamAsync();
        await fixture.ExecuteAsync($"DELETE FROM {{schema}}.events WHERE stream_id = '{truncated}' AND version = 5");
        var (swapped, _) = await FiveEventStreamAsync();
        await fixture.ExecuteAsync(
            $"UPDATE {{schema}}.events SET version = -version WHERE stream_id = '{swapped}' AND version IN (1, 2);" +
            $"UPDATE {{schema}}.events SET version = CASE version WHEN -1 THEN 2 ELSE 1 END WHERE stream_id = '{swapped}' AND version < 0;");

        var truncatedResult = await fixture.Store.VerifyStreamAsync(truncated);
        var swappedResult = await fixture.Store.VerifyStreamAsync(swapped);

        Assert.False(truncatedResult.IsValid);
        Assert.Equal(4, truncatedResult.EventsChecked);
        Assert.Contains("head", truncatedResult.Reason, StringComparison.Ordinal);
        Assert.False(swappedResult.IsValid);
        Assert.Equal(1, swappedResult.FirstInvalidVersion);
    }

    [Fact]
    public async Task High_precision_amounts_are_stored_exactly_and_verify()
    {
        var stream = $"precise-{Guid.NewGuid():N}";
        await fixture.Store.AppendAsync(stream, ExpectedVersion.NoStream, [TestEvents.Added("p", 1234567890.123456789012345678m), TestEvents.Added("q", 0.1m)]);

        var events = await fixture.Store.ReadStreamAsync(stream);

        Assert.Equal(1234567890.123456789012345678m, ((ItemAdded)events[0].Data).Amount);
        Assert.True((await fixture.Store.VerifyStreamAsync(stream)).IsValid);
        // A change that a double could not see is still a change.
        await fixture.ExecuteAsync($"UPDATE {{schema}}.events SET data = jsonb_set(data, '{{amount}}', '0.1000000000000000001') WHERE stream_id = '{stream}' AND version = 2");
        Assert.Equal(2, (await fixture.Store.VerifyStreamAsync(stream)).FirstInvalidVersion);
    }

    [Fact]
    public async Task A_removed_stream_head_is_reported_by_verify_all()
    {
        var (stream, _) = await FiveEventStreamAsync();
        await fixture.ExecuteAsync($"DELETE FROM {{schema}}.streams WHERE id = '{stream}'");

        var results = new List<VerificationResult>();
        await foreach (var result in fixture.Store.VerifyAllAsync()) results.Add(result);

        var orphan = Assert.Single(results, r => r.StreamId == stream);
        Assert.False(orphan.IsValid);
        Assert.Contains("no head", orphan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_all_reports_each_stream()
    {
        var (good, _) = await FiveEventStreamAsync();
        var (bad, _) = await FiveEventStreamAsync();
        await fixture.ExecuteAsync($"UPDATE {{schema}}.events SET data = '{{}}' WHERE stream_id = '{bad}' AND version = 1");

        var results = new Dictionary<string, VerificationResult>();
        await foreach (var result in fixture.Store.VerifyAllAsync()) results[result.StreamId] = result;

        Assert.True(results[good].IsValid);
        Assert.False(results[bad].IsValid);
        Assert.Equal(1, results[bad].FirstInvalidVersion);
    }
}
