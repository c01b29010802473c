using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Oversight.Security;
using Oversight.Testing;

namespace Oversight.Benchmarks.Scenarios;

/// <summary>
/// http-record-finding: the inspector's write through the whole stack — a real API process (Kestrel, JWT,
/// problem details, idempotency, fold + decide + append in one transaction), 32 concurrent HTTP clients
/// posting findings with tokens and fresh Idempotency-Keys to 1,000 started inspections for 15 s.
/// ours = requests/s; baseline = append-existing-16 (store appends with an exact expected version) from
/// the same run. p50/p99 latency go to stderr.
/// </summary>
public sealed class HttpRecordFindingScenario : IScenario
{
    private const int Clients = 32;

    public string Name => "http-record-finding";

    public async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        if (!context.Results.TryGetValue("append-existing-16", out var store))
        {
            store = await new AppendScenario("append-existing-16", existingStreams: true).RunAsync(context);
            context.Results[store.Name] = store;
        }

        await using var api = await ApiProcess.StartAsync(context.ConnectionString,
            new Dictionary<string, string> { ["EventStore__Schema"] = "api_bench", ["Runtime__ReadModelSchema"] = "api_bench_readmodels" });
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients * 2 }) { BaseAddress = api.BaseAddress };
        var officer = api.Token(Roles.Officer);
        var inspector = api.Token(Roles.Inspector);

        var inspections = await PrepareInspectionsAsync(http, officer, inspector, context.Size(1000, 100));
        await context.CheckpointAsync();

        var latencies = new List<double>[Clients];
        var duration = context.Duration(TimeSpan.FromSeconds(15));
        var rate = await Concurrency.RateAsync(Clients, duration, w =>
        {
            var i = 0;
            var mine = latencies[w] = [];
            return async () =>
            {
                var inspection = inspections[(w + i++ * Clients) % inspections.Count];
                var started = Stopwatch.GetTimestamp();
                await PostAsync(http, inspector, $"/api/v1/inspections/{inspection}/findings", Finding(i), HttpStatusCode.Created, Guid.NewGuid().ToString());
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            };
        });

        var all = latencies.SelectMany(l => l).Order().ToArray();
        var note = FormattableString.Invariant($"{all.Length} requests, p50 {Percentile(all, 0.50):0.0} ms, p99 {Percentile(all, 0.99):0.0} ms");
        return new ScenarioResult(Name, rate, store.Ours, "requests/s", note);
    }

    private static async Task<List<Guid>> PrepareInspectionsAsync(HttpClient http, string officer, string inspector, int count)
    {
        var organization = await PostAsync(http, officer, "/api/v1/supervising-organizations", new
        {
            permitNumber = "許9900000001", corporateNumber = "7000012050002", name = "Benchmark Cooperative", prefecture = "13",
            category = "General", permitFrom = "2022-04-01", permitTo = "2027-03-31",
        }, HttpStatusCode.Created);
        var ids = new Guid[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = Clients }, async (i, _) =>
        {
            ids[i] = await PostAsync(http, inspector, "/api/v1/inspections",
                new { organizationId = organization, kind = "Regular", scheduledOn = "2023-06-01", leadInspector = "inspector-bench" }, HttpStatusCode.Created);
            await PostAsync(http, inspector, $"/api/v1/inspections/{ids[i]}/start", new { startedOn = "2023-06-01" }, HttpStatusCode.OK);
        });
        return [.. ids];
    }

    private static object Finding(int i) => new
    {
        category = i % 3 == 0 ? "UnpaidWages" : "RecordKeeping",
        severity = "High",
        legalBasis = "Art.16(1)(iv)",
        traineesAffected = 1 + i % 5,
        observedOn = "2023-06-01",
        narrative = "Time records for March were not kept; overtime was paid at the base rate.",
    };

    private static async Task<Guid> PostAsync(HttpClient http, string token, string path, object body, HttpStatusCode expected, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected) throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
