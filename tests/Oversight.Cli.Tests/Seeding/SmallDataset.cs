using Oversight.Cli.Seeding;

namespace Oversight.Cli.Tests.Seeding;

/// <summary>One dataset at scale 0.05 with the default seed, generated once for the tests that only read it.</summary>
public sealed class SmallDataset
{
    public const double Scale = 0.05;
    public const int Seed = 20221;

    public SeedProfile Profile { get; } = SeedProfile.Fy2022(Scale);
    public SeedDataset Dataset { get; }

    public SmallDataset() => Dataset = DemoDatasetGenerator.Generate(Profile, Seed);
}
