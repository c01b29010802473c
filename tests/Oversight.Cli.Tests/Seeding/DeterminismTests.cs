using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Oversight.Cli.Seeding;
using Oversight.EventStore.Serialization;
using Oversight.ReadModels.Storage;

namespace Oversight.Cli.Tests.Seeding;

public sealed class DeterminismTests(SmallDataset small) : IClassFixture<SmallDataset>
{
    private static readonly EventTypeRegistry Registry = new EventTypeRegistry().RegisterDomainEvents();

    /// <summary>SHA-256 over every stream id, event id, stored type name, business date and serialized payload, in append order.</summary>
    public static string Fingerprint(SeedDataset dataset)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var stream in dataset.Streams)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(stream.StreamId + "\n"));
            foreach (var e in stream.Events)
            {
                var payload = Registry.Serialize(e.Data);
                hash.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                    $"{e.EventId}|{payload.Name}|{payload.SchemaVersion}|{e.OccurredOn:yyyy-MM-dd}|")));
                hash.AppendData(payload.Utf8Json);
                hash.AppendData("\n"u8);
            }
        }
        foreach (var claim in dataset.UniqueNumbers) hash.AppendData(Encoding.UTF8.GetBytes($"{claim.Kind}|{claim.Value}|{claim.StreamId}\n"));
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    [Fact]
    public void Same_seed_and_scale_give_the_same_events()
    {
        var again = DemoDatasetGenerator.Generate(SeedProfile.Fy2022(SmallDataset.Scale), SmallDataset.Seed);

        Assert.Equal(small.Dataset.EventCount, again.EventCount);
        Assert.Equal(Fingerprint(small.Dataset), Fingerprint(again));
    }

    [Fact]
    public void A_different_seed_gives_different_events()
    {
        var other = DemoDatasetGenerator.Generate(SeedProfile.Fy2022(SmallDataset.Scale), SmallDataset.Seed + 1);

        Assert.NotEqual(Fingerprint(small.Dataset), Fingerprint(other));
        // The published figures do not depend on the seed.
        Assert.Equal(SeedFigures.Compute(small.Dataset, 2022) with { MocReportedCountries = Array.Empty<string>() },
            SeedFigures.Compute(other, 2022) with { MocReportedCountries = Array.Empty<string>() });
    }

    [Fact]
    public void Every_event_is_a_registered_type_with_a_business_date_in_the_history()
    {
        foreach (var e in small.Dataset.Streams.SelectMany(s => s.Events))
        {
            Assert.NotNull(Registry.NameOf(e.Data.GetType()));
            Assert.InRange(e.OccurredOn, SeedProfile.Start, SeedProfile.End);
            Assert.Equal(7, e.EventId.Version);
        }
        Assert.Equal(small.Dataset.Streams.Count, small.Dataset.Streams.Select(s => s.StreamId).Distinct().Count());
        Assert.Equal(small.Dataset.EventCount, small.Dataset.Streams.SelectMany(s => s.Events).Select(e => e.EventId).Distinct().LongCount());
    }
}
