using Npgsql;
using Oversight.Testing;

namespace Oversight.Benchmarks.Scenarios;

/// <summary>
/// http-record-finding-vs-previous: http-record-finding against this build (ours) and an earlier build of the API (baseline;
/// <c>OVERSIGHT_BENCH_PREVIOUS_API</c> = its Oversight.Api.dll, e.g. commit 602ecc5 before the move to Marten and Wolverine, built
/// by <c>infra/bench-previous.sh</c>), each on a database of its own, measured in alternating rounds so drift on the machine
/// hits both alike. Only in the list when the variable is set.
/// </summary>
public sealed class HttpVersusPreviousScenario(string previousDll) : IScenario
{
    public const string Variable = "OVERSIGHT_BENCH_PREVIOUS_API";
    public string Name => "http-record-finding-vs-previous";

    public async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var previousDatabase = new NpgsqlConnectionStringBuilder(context.ConnectionString) { Database = $"oversight_bench_prev_{Environment.ProcessId}" };
        await context.ExecuteAsync($"DROP DATABASE IF EXISTS {previousDatabase.Database} WITH (FORCE)");
        await context.ExecuteAsync($"CREATE DATABASE {previousDatabase.Database}");
        try
        {
            var quiet = new Dictionary<string, string> { ["Runtime__EventSchema"] = "api_cmp", ["Runtime__ReadModelSchema"] = "api_cmp_readmodels" };
            foreach (var (name, value) in OursOnly()) quiet[name] = value;
            await using var ours = await ApiProcess.StartAsync(context.ConnectionString, quiet);
            await using var previous = await ApiProcess.StartAsync(previousDatabase.ConnectionString, dll: previousDll);
            var rounds = context.Quick ? 1 : 3;
            var duration = context.Duration(TimeSpan.FromSeconds(15));
            List<WrkLoad.Result> oursResults = [], previousResults = [];
            for (var round = 0; round < rounds; round++)
            {
                // Alternate which build goes first; each round records on fresh inspections.
                foreach (var (api, results) in round % 2 == 0 ? new[] { (ours, oursResults), (previous, previousResults) } : [(previous, previousResults), (ours, oursResults)])
                    results.Add(await HttpRecordFindingScenario.MeasureAsync(context, api, context.Size(1000, 100), duration));
            }
            var (o, p) = (Mean(oursResults), Mean(previousResults));
            return new ScenarioResult(Name, o.RequestsPerSecond, p.RequestsPerSecond, "requests/s", FormattableString.Invariant(
                $"{rounds} alternating rounds; ours {HttpRecordFindingScenario.Describe(o)}; previous {HttpRecordFindingScenario.Describe(p)}; p99 ratio {o.P99Ms / p.P99Ms:0.00}; requests/s by round: ours {Rates(oursResults)}, previous {Rates(previousResults)}; p99 by round (ms): ours {Tails(oursResults)}, previous {Tails(previousResults)}"));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await context.ExecuteAsync($"DROP DATABASE IF EXISTS {previousDatabase.Database} WITH (FORCE)");
        }
    }

    /// <summary>
    /// Settings for our process only, from <c>OVERSIGHT_BENCH_OURS_ENV</c> (<c>NAME=value;NAME=value</c>): with the earlier build set to
    /// this one's dll, an A/B of a setting in alternating rounds.
    /// </summary>
    private static IEnumerable<(string Name, string Value)> OursOnly() =>
        (Environment.GetEnvironmentVariable("OVERSIGHT_BENCH_OURS_ENV") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(pair => pair.Split('=', 2)).Select(pair => (pair[0], pair.Length > 1 ? pair[1] : ""));

    private static string Rates(List<WrkLoad.Result> rounds) => string.Join(" ", rounds.Select(r => FormattableString.Invariant($"{r.RequestsPerSecond:0}")));

    private static string Tails(List<WrkLoad.Result> rounds) => string.Join(" ", rounds.Select(r => FormattableString.Invariant($"{r.P99Ms:0.0}")));

    /// <summary>Requests/s over all rounds; the p50 and p99 are the rounds' medians.</summary>
    private static WrkLoad.Result Mean(List<WrkLoad.Result> rounds) => new(
        rounds.Average(r => r.RequestsPerSecond), Concurrency.Median([.. rounds.Select(r => r.P50Ms)]), Concurrency.Median([.. rounds.Select(r => r.P99Ms)]),
        rounds.Sum(r => r.Requests));
}
