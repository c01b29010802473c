using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Oversight.Cli.Seeding;
using Marten;
using Oversight.Persistence;
using Oversight.Persistence.Events;

namespace Oversight.Cli.Tests.Seeding;

public sealed class DeterminismTests(SmallDataset small) : IClassFixture<SmallDataset>
{
    private static readonly Dictionary<Type, string> Names = EventNames.Domain.ToDictionary(x => x.Type, x => x.Name);

    /// <summary>The store's own serializer (no database is touched to build it).</summary>
    private static readonly ISerializer Serializer = new StoreOptions().Configure("Host=localhost", TimeProvider.System).Serializer();

    /// <summary>SHA-256 over every stream id, event id, stored type name, business date and serialized payload, in append order.</summary>
    public static string Fingerprint(SeedDataset dataset)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var stream in dataset.Streams)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(stream.StreamId + "\n"));
            foreach (var e in stream.Events)
            {
                hash.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                    $"{e.EventId}|{Names[e.Data.GetType()]}|{e.OccurredOn:yyyy-MM-dd}|")));
                hash.AppendData(Encoding.UTF8.GetBytes(Serializer.ToJson(e.Data)));
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
            Assert.True(Names.ContainsKey(e.Data.GetType()), $"{e.Data.GetType()} has no stored name");
            Assert.InRange(e.OccurredOn, SeedProfile.Start, SeedProfile.End);
            Assert.Equal(7, e.EventId.Version);
        }
        Assert.Equal(small.Dataset.Streams.Count, small.Dataset.Streams.Select(s => s.StreamId).Distinct().Count());
        Assert.Equal(small.Dataset.EventCount, small.Dataset.Streams.SelectMany(s => s.Events).Select(e => e.EventId).Distinct().LongCount());
    }
}

public sealed class ScaleTests
{
    [Theory]
    [InlineData(0.001)]
    [InlineData(0.013)]
    [InlineData(0.2)]
    public void Every_scaled_figure_holds_at_other_scales(double scale)
    {
        var profile = SeedProfile.Fy2022(scale);
        var dataset = DemoDatasetGenerator.Generate(profile, 5);

        var figures = SeedFigures.Compute(dataset, 2022);

        Assert.Equal(profile.SupervisingOrganizationsPermittedAtFy2022End, figures.SupervisingOrganizationsPermitted);
        Assert.Equal(profile.SupervisingOrganizationInspections(2022), figures.SupervisingOrganizationInspections);
        Assert.Equal(profile.ImplementingOrganizationInspections(2022), figures.ImplementingOrganizationInspections);
        Assert.Equal(profile.SupervisingOrganizationRevocations(2022), figures.PermitRevocations);
        Assert.Equal(profile.PlanRevocations(2022), figures.PlanRevokedOrganizations);
        Assert.Equal(profile.PlanRevocations(2022), figures.PlanRevocations);
        Assert.Equal(profile.MocReportsIn(2022), figures.MocReportedOrganizations);
        Assert.Equal(Math.Min(14, profile.MocReportsIn(2022)), figures.MocReportedCountries.Count);
    }

    [Fact]
    public void Scale_outside_zero_to_two_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SeedProfile.Fy2022(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SeedProfile.Fy2022(2.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => SeedProfile.Fy2022(double.NaN));
        Assert.Equal(3_632 * 2, SeedProfile.Fy2022(2.0).SupervisingOrganizationsPermittedAtFy2022End);
    }
}
