using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Oversight.Cli.Seeding;
using Marten;
using Npgsql;
using Oversight.ReadModels.Risk;
using Oversight.ReadModels.Storage;

namespace Oversight.Benchmarks;

/// <summary>
/// The FY2022 demo dataset (scale 1.0; 0.05 with --quick) seeded once per run through the real seed loader into
/// schemas of its own, for the scenarios that need a national-scale history.
/// </summary>
public sealed class NationalDataset : IAsyncDisposable
{
    public const string Schema = "national";
    public const string ReadModelSchema = "national_readmodels";
    private static NationalDataset? s_instance;

    private NationalDataset(ServiceProvider services, SeedResult seeded)
    {
        Services = services;
        Seeded = seeded;
    }

    public ServiceProvider Services { get; }
    public SeedResult Seeded { get; }

    public static IReadOnlyDictionary<string, string> ApiEnvironment { get; } = new Dictionary<string, string>
    {
        ["Runtime__EventSchema"] = Schema,
        ["Runtime__ReadModelSchema"] = ReadModelSchema,
        // The measurement is of queries: this node neither projects nor handles messages meanwhile.
        ["Runtime__RunProjections"] = "false",
        ["Runtime__RunWorkers"] = "false",
    };

    public static async Task<NationalDataset> GetAsync(BenchContext context)
    {
        if (s_instance is not null) return s_instance;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Runtime:EventSchema"] = Schema,
            ["Runtime:ReadModelSchema"] = ReadModelSchema,
        }).Build();
        var services = new ServiceCollection().AddLogging()
            .AddOversightStorage(context.ConnectionString, configuration, wolverine: false)
            .BuildServiceProvider();
        var loader = new SeedLoader((DocumentStore)services.GetRequiredService<IDocumentStore>(), services.GetRequiredService<NpgsqlDataSource>(),
            services.GetRequiredService<StorageOptions>(), services.GetRequiredService<RiskOptions>());
        await context.CheckpointAsync();
        var scale = context.Quick ? 0.05 : 1.0;
        var seeded = await loader.RunAsync(() => DemoDatasetGenerator.Generate(SeedProfile.Fy2022(scale), 20221));
        return s_instance = new NationalDataset(services, seeded);
    }

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();
}
