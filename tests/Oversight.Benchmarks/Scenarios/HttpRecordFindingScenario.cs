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
/// problem details, idempotency, fold + decide + append in one transaction), 32 connections from <c>wrk</c>
/// posting findings with tokens and fresh Idempotency-Keys to 1,000 started inspections for 15 s.
/// ours = requests/s; baseline = the raw single-row INSERT rate (16 connections) measured beside
/// marten-chained-append-16 in the same run. p50/p99 latency go to stderr.
/// http-record-finding-telemetry: the same with traces and metrics exported over OTLP/HTTP to a receiver on
/// loopback (every span sampled); baseline = http-record-finding of the same run, so ratio = telemetry on / off.
/// </summary>
public sealed class HttpRecordFindingScenario(bool telemetry = false) : IScenario
{
    private const int Clients = 32;
    private const string Plain = "http-record-finding";

    public string Name => telemetry ? $"{Plain}-telemetry" : Plain;

    public async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var baselineName = telemetry ? Plain : "marten-chained-append-16";
        if (!context.Results.TryGetValue(baselineName, out var baseline))
        {
            baseline = telemetry
                ? await new HttpRecordFindingScenario().RunAsync(context)
                : await new MartenAppendScenario(chained: true).RunAsync(context);
            context.Results[baseline.Name] = baseline;
        }

        using var receiver = telemetry ? new OtlpReceiver() : null;
        var schema = telemetry ? "api_bench_otel" : "api_bench";
        var environment = new Dictionary<string, string> { ["Runtime__EventSchema"] = schema, ["Runtime__ReadModelSchema"] = $"{schema}_readmodels" };
        if (receiver is not null)
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint;
            environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            environment["OTEL_SERVICE_NAME"] = "oversight-bench";
            environment["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
        }
        await using var api = await ApiProcess.StartAsync(context.ConnectionString, environment);
        var idle = ResidentMemory.Megabytes(api.ProcessId);
        var (load, peak) = await ResidentMemory.PeakWhileAsync(api.ProcessId,
            () => MeasureAsync(context, api, context.Size(1000, 100), context.Duration(TimeSpan.FromSeconds(15))));
        var exported = FormattableString.Invariant($"; API RSS {idle:0} MB idle, {peak:0} MB at most under load (bar 300)")
            + (receiver is null ? "" : FormattableString.Invariant($"; {receiver.Requests.Count} OTLP exports received"));
        if (receiver is not null && receiver.Requests.IsEmpty) throw new InvalidOperationException("Telemetry was enabled but nothing was exported.");
        return new ScenarioResult(Name, load.RequestsPerSecond, telemetry ? baseline.Ours : baseline.Baseline, "requests/s", Describe(load) + exported);
    }

    internal static string Describe(WrkLoad.Result load) => FormattableString.Invariant(
        $"{load.Requests} requests, p50 {load.P50Ms:0.0} ms, p99 {load.P99Ms:0.0} ms ({(WrkLoad.Available ? "wrk" : "in-process client: install wrk for figures that count")})");

    /// <summary>
    /// Prepares <paramref name="inspections"/> started inspections on <paramref name="api"/> and records findings on them for
    /// <paramref name="duration"/> from 32 connections with fresh keys: with <c>wrk</c> when installed (after a 10-s warm-up that is not
    /// counted), else with an in-process client. The warm-up covers the runtime's tiering: 5–13 s into the load the JIT still took
    /// 11 % of the API's CPU, after 12 s 1 % (perf, ADR 12).
    /// </summary>
    internal static async Task<WrkLoad.Result> MeasureAsync(BenchContext context, ApiProcess api, int inspections, TimeSpan duration)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients * 2 }) { BaseAddress = api.BaseAddress };
        var inspector = api.Token(Roles.Inspector);
        var prepared = await PrepareInspectionsAsync(http, api.Token(Roles.Officer), inspector, inspections);
        if (WrkLoad.Available)
        {
            // Warm-up (JIT, pools, the daemon's first batches), not counted; then statistics for the API's new tables, as autovacuum
            // keeps them in service (never analyzed, PostgreSQL planned Marten's high-water query as a scan of every event and a
            // sort on each poll), and a checkpoint so the timed phase starts clean.
            await WrkLoad.RecordFindingsAsync(api.BaseAddress, prepared, inspector, context.Duration(TimeSpan.FromSeconds(10)), Clients);
            await AnalyzeAsync(api.ConnectionString);
            await context.CheckpointAsync();
            return await WrkLoad.RecordFindingsAsync(api.BaseAddress, prepared, inspector, duration, Clients);
        }
        await context.CheckpointAsync();

        var latencies = new List<double>[Clients];
        var rate = await Concurrency.RateAsync(Clients, duration, w =>
        {
            var i = 0;
            var mine = latencies[w] = [];
            return async () =>
            {
                var inspection = prepared[(w + i++ * Clients) % prepared.Count];
                var started = Stopwatch.GetTimestamp();
                await PostAsync(http, inspector, $"/api/v1/inspections/{inspection}/findings", Finding(i), HttpStatusCode.Created, Guid.NewGuid().ToString());
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            };
        });
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new WrkLoad.Result(rate, Latencies.Percentile(all, 0.50), Latencies.Percentile(all, 0.99), all.Length);
    }

    private static async Task AnalyzeAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var analyze = new Npgsql.NpgsqlCommand("ANALYZE", connection) { CommandTimeout = 600 };
        await analyze.ExecuteNonQueryAsync();
    }

    private static int s_organizations;

    /// <summary>Started inspections spread over one supervising organization per ten inspections (as inspections spread over the country).</summary>
    private static async Task<List<Guid>> PrepareInspectionsAsync(HttpClient http, string officer, string inspector, int count)
    {
        var organizations = new Guid[Math.Max(1, count / 10)];
        var first = Interlocked.Add(ref s_organizations, organizations.Length) - organizations.Length; // numbers unique across rounds on one API
        await Parallel.ForAsync(0, organizations.Length, new ParallelOptions { MaxDegreeOfParallelism = Clients }, async (o, _) =>
            organizations[o] = await PostAsync(http, officer, "/api/v1/supervising-organizations", new
            {
                permitNumber = FormattableString.Invariant($"許99{first + o:00000000}"), corporateNumber = CorporateNumber(9_000_000 + first + o), name = $"Benchmark Cooperative {o}",
                prefecture = (1 + o % 47).ToString("00", System.Globalization.CultureInfo.InvariantCulture), category = "General",
                permitFrom = "2022-04-01", permitTo = "2027-03-31",
            }, HttpStatusCode.Created));
        var ids = new Guid[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = Clients }, async (i, _) =>
        {
            ids[i] = await PostAsync(http, inspector, "/api/v1/inspections",
                new { organizationId = organizations[i % organizations.Length], kind = "Regular", scheduledOn = "2023-06-01", leadInspector = "inspector-bench" },
                HttpStatusCode.Created);
            await PostAsync(http, inspector, $"/api/v1/inspections/{ids[i]}/start", new { startedOn = "2023-06-01" }, HttpStatusCode.OK);
        });
        return [.. ids];
    }

    /// <summary>A valid 13-digit corporate number: the check digit 9 − (Σ Pn·Qn mod 9) before a 12-digit base.</summary>
    private static string CorporateNumber(long serial)
    {
        var body = serial.ToString("000000000000", System.Globalization.CultureInfo.InvariantCulture);
        var sum = 0;
        for (var n = 1; n <= 12; n++) sum += (body[12 - n] - '0') * (n % 2 == 1 ? 1 : 2);
        return (9 - sum % 9).ToString(System.Globalization.CultureInfo.InvariantCulture) + body;
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
}
