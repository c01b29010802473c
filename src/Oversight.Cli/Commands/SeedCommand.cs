using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Oversight.Cli.Seeding;
using Marten;
using Npgsql;
using Oversight.ReadModels.Risk;
using Oversight.ReadModels.Storage;
using Spectre.Console;

namespace Oversight.Cli.Commands;

/// <summary>
/// <c>oversight seed --profile fy2022 [--scale 1.0] [--seed N]</c>: fills an empty store with a reproducible national history
/// (same seed and scale, same events). The last line printed is machine-readable:
/// <c>seeded events=N streams=N seconds=S events_per_second=R</c> (seconds: the write, after generation).
/// </summary>
internal static class SeedCommand
{
    public static Command Create()
    {
        var profile = new Option<string>("--profile") { Description = "The dataset to generate: fy2022 (exact on the published FY2022 figures).", Required = true };
        profile.AcceptOnlyFromAmong([.. SeedProfile.Names]);
        var scale = new Option<double>("--scale") { Description = "Multiplies every figure (rounded, never below 0): 0 < scale ≤ 2.0.", DefaultValueFactory = _ => 1.0 };
        scale.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<double>();
            if (!(value > 0 && value <= 2.0))
                result.AddError($"--scale must be greater than 0 and at most 2.0 (got {value.ToString(CultureInfo.InvariantCulture)}).");
        });
        var seed = new Option<int>("--seed") { Description = "Seed of the generator: the same seed and scale give the same events.", DefaultValueFactory = _ => 20221 };
        var ifEmpty = new Option<bool>("--if-empty") { Description = "Succeed without seeding when the store already holds events (for first-start scripts)." };
        var command = new Command("seed", "Generate a demo dataset into an empty store (refuses a store that already holds events).") { profile, scale, seed, ifEmpty };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var seedProfile = SeedProfile.Fy2022(parse.GetValue(scale));
            var seedValue = parse.GetValue(seed);
            await using var services = CliServices.Build(CliConfiguration.Load());
            var options = services.GetRequiredService<StorageOptions>();
            var store = (DocumentStore)services.GetRequiredService<IDocumentStore>();
            var dataSource = services.GetRequiredService<NpgsqlDataSource>();
            var loader = new SeedLoader(store, dataSource, options, services.GetRequiredService<RiskOptions>());
            try
            {
                SeedResult? result = null;
                SeedDataset? generated = null;
                await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .StartAsync(async context =>
                    {
                        var task = context.AddTask("Generating", autoStart: true, maxValue: 1);
                        result = await loader.RunAsync(
                            () => DemoDatasetGenerator.Generate(seedProfile, seedValue),
                            dataset =>
                            {
                                generated = dataset;
                                task.MaxValue = Math.Max(1, dataset.EventCount);
                                task.Value = 0;
                                task.Description = string.Create(CultureInfo.InvariantCulture, $"Writing {dataset.EventCount:N0} events");
                            },
                            written => task.Value = written,
                            cancellationToken);
                    });
                var r = result!;
                var scheduled = await SeedDeadlines.ScheduleAsync(generated!, store, dataSource, options.EventSchema, cancellationToken);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Scheduled {scheduled:N0} inspection and correction-order deadline checks (the API claims them when due)."));
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Generated {r.Events:N0} events in {r.Streams:N0} streams in {r.Generation.TotalSeconds:0.0} s; wrote them and {r.UniqueNumbers:N0} permit and plan numbers in {r.Load.TotalSeconds:0.0} s."));
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Read models at position {r.ReadModels.Position:N0} in {r.ReadModels.Elapsed.TotalSeconds:0.0} s ({r.ReadModels.EventsRead:N0} events read once for all of them)."));
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"seeded events={r.Events} streams={r.Streams} seconds={r.Load.TotalSeconds:0.###} events_per_second={r.EventsPerSecond:0}"));
                return 0;
            }
            catch (SeedRefusedException e) when (parse.GetValue(ifEmpty))
            {
                Console.Error.WriteLine($"Not seeding: {e.Message}");
                return 0;
            }
            catch (SeedRefusedException e)
            {
                Console.Error.WriteLine($"Refused: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
