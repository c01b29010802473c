using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Oversight.ReadModels.Statistics;
using Marten;
using Oversight.Security;
using Oversight.Testing;

namespace Oversight.Benchmarks.Scenarios;

/// <summary>
/// stats-national: p99 ms of GET /api/v1/statistics/revocations?groupBy=fiscalYear,prefecture over the seeded national
/// dataset, through a real API process (token, routing, query, JSON). Baseline: the same figures computed by raw SQL
/// from the events table (no read model), p99 ms in the same run.
/// </summary>
public sealed class StatsNationalScenario : IScenario
{
    public string Name => "stats-national";

    public async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var dataset = await NationalDataset.GetAsync(context);
        using (var daemon = await dataset.Services.GetRequiredService<IDocumentStore>().BuildProjectionDaemonAsync())
            await daemon.RebuildProjectionAsync(StatisticsProjection.ProjectionName, TimeSpan.FromMinutes(30), CancellationToken.None);
        await context.ExecuteAsync($"VACUUM ANALYZE \"{NationalDataset.Schema}\".mt_events; ANALYZE \"{NationalDataset.ReadModelSchema}\".{Persistence.Projections.ProjectionTables.VersionedName("stat_revocations", new ReadModels.Statistics.StatisticsProjection().Version)}");

        await using var api = await ApiProcess.StartAsync(context.ConnectionString, NationalDataset.ApiEnvironment);
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", api.Token(Roles.Analyst));
        var requests = context.Size(500, 100);

        var ours = await Latencies.MeasureAsync(requests, async () =>
        {
            using var response = await http.GetAsync("/api/v1/statistics/revocations?groupBy=fiscalYear,prefecture");
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"statistics: {(int)response.StatusCode}");
            await response.Content.ReadAsByteArrayAsync();
        });
        var baseline = await Latencies.MeasureAsync(requests, async () =>
        {
            await using var command = context.DataSource.CreateCommand(RawSql);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) { }
        });
        return new ScenarioResult(Name, Latencies.Percentile(ours, 0.99), Latencies.Percentile(baseline, 0.99), "ms",
            FormattableString.Invariant($"{requests} requests; p50 {Latencies.Percentile(ours, 0.5):0.0} ms vs raw SQL over events {Latencies.Percentile(baseline, 0.5):0.0} ms"));
    }

    // Revocation acts by fiscal year of the effective date and prefecture of the organization, from the events alone.
    private static readonly string RawSql = $"""
        SELECT CASE WHEN extract(month FROM (r.data ->> 'effectiveOn')::date) >= 4 THEN extract(year FROM (r.data ->> 'effectiveOn')::date)
                    ELSE extract(year FROM (r.data ->> 'effectiveOn')::date) - 1 END AS fiscal_year,
               g.data ->> 'prefecture' AS prefecture, count(*)
          FROM "{NationalDataset.Schema}".mt_events r
          JOIN "{NationalDataset.Schema}".mt_events g ON g.stream_id = r.stream_id AND g.version = 1
         WHERE r.type IN ('PermitRevoked.v1', 'PlanAccreditationRevoked.v1')
         GROUP BY 1, 2 ORDER BY 1, 2
        """;
}
