namespace Oversight.Benchmarks.Scenarios;

/// <summary>
/// seed-to-complete: seconds from the end of writing the demo dataset to every read model at the head of the log (the seed
/// builds them itself: ReadModelCatchUp, ADR 12), so a node started after `oversight seed` serves complete figures at once.
/// Baseline: the seconds a raw ordered read and deserialize of as many events takes at the rate measured by
/// marten-projection-rebuild in the same run — one pass over the log and nothing written, the floor of any catch-up.
/// </summary>
public sealed class SeedToCompleteScenario : IScenario
{
    public string Name => "seed-to-complete";

    public async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        if (!context.Results.TryGetValue("marten-projection-rebuild", out var rebuild))
        {
            rebuild = await new MartenProjectionRebuildScenario().RunAsync(context);
            context.Results[rebuild.Name] = rebuild;
        }
        var seeded = (await NationalDataset.GetAsync(context)).Seeded;
        var catchUp = seeded.ReadModels;
        return new ScenarioResult(Name, catchUp.Elapsed.TotalSeconds, catchUp.EventsRead / rebuild.Baseline, "s", FormattableString.Invariant(
            $"{catchUp.EventsRead:N0} events read once for {catchUp.Position:N0} positions; bar ≤ 60 s at scale 1.0"));
    }
}
