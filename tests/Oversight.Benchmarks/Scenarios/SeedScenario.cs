namespace Oversight.Benchmarks.Scenarios;

/// <summary>
/// seed-fy2022: events/s of the demo dataset's load through Marten's bulk path (binary COPY with hash chains and the
/// claim of every permit and plan number), generation excluded. Baseline: the raw binary COPY measured beside
/// marten-chained-bulk in the same run (the ceiling of any load on this machine).
/// </summary>
public sealed class SeedScenario : IScenario
{
    public string Name => "seed-fy2022";

    public async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        if (!context.Results.TryGetValue("marten-chained-bulk", out var raw))
        {
            raw = await new MartenBulkImportScenario(chained: true).RunAsync(context);
            context.Results[raw.Name] = raw;
        }
        var dataset = await NationalDataset.GetAsync(context);
        var seeded = dataset.Seeded;
        return new ScenarioResult(Name, seeded.EventsPerSecond, raw.Baseline, "events/s", FormattableString.Invariant(
            $"{seeded.Events:N0} events in {seeded.Streams:N0} streams; generated in {seeded.Generation.TotalSeconds:0.0} s, written in {seeded.Load.TotalSeconds:0.0} s"));
    }
}
