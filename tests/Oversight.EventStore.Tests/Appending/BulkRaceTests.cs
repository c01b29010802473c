using Oversight.EventStore.Tests.Support;

namespace Oversight.EventStore.Tests.Appending;

/// <summary>Single appends and bulk imports writing the same streams at once: both paths retry races and no version is lost.</summary>
public sealed class BulkRaceTests(StoreFixture fixture) : IClassFixture<StoreFixture>
{
    [Fact]
    public async Task Any_appends_racing_bulk_imports_on_the_same_streams_all_land_with_contiguous_versions()
    {
        var prefix = Guid.NewGuid().ToString("N")[..8];
        var streams = Enumerable.Range(0, 20).Select(i => $"{prefix}-{i}").ToArray();

        var singles = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
                await fixture.Store.AppendAsync(streams[(w * 7 + i) % streams.Length], ExpectedVersion.Any, [TestEvents.Added($"single-{w}-{i}")]);
        }));
        var bulks = Enumerable.Range(0, 2).Select(b => Task.Run(async () =>
        {
            for (var i = 0; i < 8; i++)
                await fixture.Store.BulkAppendAsync(streams.Select(s => new StreamAppend(s, ExpectedVersion.Any, TestEvents.Many(3, $"bulk-{b}-{i}"))).ToArray());
        }));
        await Task.WhenAll(singles.Concat(bulks));

        var total = 0L;
        foreach (var stream in streams)
        {
            var events = await fixture.Store.ReadStreamAsync(stream);
            Assert.Equal(Enumerable.Range(1, events.Count).Select(v => (long)v), events.Select(e => e.Version));
            var verification = await fixture.Store.VerifyStreamAsync(stream);
            Assert.True(verification.IsValid, verification.Reason);
            total += events.Count;
        }
        Assert.Equal(4 * 40 + 2 * 8 * 20 * 3, total);
    }
}
