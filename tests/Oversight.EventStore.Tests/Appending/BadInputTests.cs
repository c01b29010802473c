using Oversight.EventStore.Tests.Support;

namespace Oversight.EventStore.Tests.Appending;

public sealed class BadInputTests(StoreFixture fixture) : IClassFixture<StoreFixture>
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(201)]
    public async Task A_missing_or_oversized_stream_id_is_refused(object? id)
    {
        var streamId = id is int length ? new string('x', length) : (string?)id;
        var before = await fixture.CountEventsAsync();
        await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            fixture.Store.AppendAsync(streamId!, ExpectedVersion.Any, [TestEvents.Added()]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => fixture.Store.ReadStreamAsync(streamId!));
        Assert.Equal(before, await fixture.CountEventsAsync());
    }

    [Fact]
    public async Task An_unregistered_event_type_is_refused_and_nothing_of_the_batch_is_written()
    {
        var stream = $"bad-type-{Guid.NewGuid():N}";
        var error = await Assert.ThrowsAsync<UnknownEventTypeException>(() =>
            fixture.Store.AppendAsync(stream, ExpectedVersion.Any, [TestEvents.Added(), new EventData(new Unregistered(1))]));
        Assert.Contains(nameof(Unregistered), error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await fixture.CountEventsAsync(stream));
    }

    [Fact]
    public void A_negative_expected_version_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ExpectedVersion.Exactly(-1));

    [Fact]
    public async Task An_empty_batch_or_a_null_payload_is_refused()
    {
        var stream = $"bad-batch-{Guid.NewGuid():N}";
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Store.AppendAsync(stream, ExpectedVersion.Any, []));
        await Assert.ThrowsAsync<ArgumentNullException>(() => fixture.Store.AppendAsync(stream, ExpectedVersion.Any, [new EventData(null!)]));
        await Assert.ThrowsAsync<ArgumentNullException>(() => fixture.Store.AppendAsync(stream, ExpectedVersion.Any, null!));
        Assert.Equal(0, await fixture.CountEventsAsync(stream));
    }

    [Fact]
    public void An_unsafe_schema_name_is_refused() =>
        Assert.Throws<ArgumentException>(() =>
            new EventStore(fixture.DataSource, TestEvents.Registry(), new EventStoreOptions { Schema = "x\"; DROP TABLE y; --" }, fixture.Clock));

    [Fact]
    public async Task Registering_the_same_name_twice_or_after_first_use_is_refused()
    {
        var registry = TestEvents.Registry();
        Assert.Throws<ArgumentException>(() => registry.Register("ItemAdded.v1", TestEventsJson.Default.Unregistered));

        await fixture.CreateStore(registry).AppendAsync($"reg-{Guid.NewGuid():N}", ExpectedVersion.Any, [TestEvents.Added()]);
        Assert.Throws<InvalidOperationException>(() => registry.Register("Unregistered.v1", TestEventsJson.Default.Unregistered));
    }
}
