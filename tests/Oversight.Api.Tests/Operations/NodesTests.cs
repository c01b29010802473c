using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Oversight.Api.Tests.Support;
using Marten;
using Oversight.Persistence.Projections;
using Oversight.ReadModels.Risk;
using Oversight.ReadModels.Storage;
using Oversight.Security;

namespace Oversight.Api.Tests.Operations;

/// <summary>Several API processes on one PostgreSQL: traces across nodes over OTLP, and a node killed with SIGKILL.</summary>
[Collection(HeavyTests.Name)]
public sealed class NodesTests
{
    /// <summary>Each read model's progression row at the version this build runs (<c>statistics:V2:All</c>…).</summary>
    private static readonly string[] Projections =
        [.. OversightStorage.Projections(new RiskOptions()).Select(MartenSqlProjection.ProgressionName)];

    [Fact]
    public async Task A_write_on_one_node_and_its_handler_on_another_are_one_trace_exported_over_OTLP()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var receiver = new OtlpReceiver();
        var tokens = ApiProcess.NewTokens();
        Dictionary<string, string> Otel(string service, bool worker) => new()
        {
            ["Runtime__NodeId"] = service,
            ["Runtime__RunWorkers"] = worker ? "true" : "false",
            ["Runtime__RunProjections"] = worker ? "true" : "false",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = service,
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        };
        await using var front = await ApiProcess.StartAsync(database.ConnectionString, Otel("oversight-front", worker: false), tokens);
        await using var back = await ApiProcess.StartAsync(database.ConnectionString, Otel("oversight-back", worker: true), tokens);
        using var http = Client(front, Roles.Inspector);
        using var officer = Client(front, Roles.Officer);
        var inspection = await StartedInspectionAsync(officer, http);

        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/inspections/{inspection}/findings")
        {
            Content = Json(TestData.Finding("ConfiscatedPassportOrResidenceCard")),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        Assert.Equal(HttpStatusCode.Created, (await http.SendAsync(request)).StatusCode);

        var traceBytes = Convert.FromHexString(traceId.ToHexString());
        bool Exported(string service, string span) => receiver.Requests.Any(r => r.Path == "/v1/traces" && Contains(r.Body, Encoding.UTF8.GetBytes(service))
            && Contains(r.Body, Encoding.UTF8.GetBytes(span)) && Contains(r.Body, traceBytes));
        var deadline = Stopwatch.StartNew();
        while (!(Exported("oversight-front", "POST /api/v1/inspections/{id:guid}/findings") && Exported("oversight-back", "TraffickingIndicatorRecorded")
                 && receiver.Requests.Any(r => r.Path == "/v1/metrics" && Contains(r.Body, "oversight.command.duration"u8.ToArray()))))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30),
                $"Spans of trace {traceId} not exported by both nodes within 30 s ({receiver.Requests.Count} OTLP requests received).");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Killing_one_of_two_nodes_loses_no_acknowledged_write_and_the_survivor_projects_what_a_rebuild_gives()
    {
        await using var database = await TestDatabase.CreateAsync();
        var tokens = ApiProcess.NewTokens();
        // Each node names itself to PostgreSQL, so the test can see which one runs the daemon. A starts first and takes it (HotCold).
        string Named(string node) => new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = node }.ConnectionString;
        await using var a = await ApiProcess.StartAsync(Named("node-a"), new Dictionary<string, string> { ["Runtime__NodeId"] = "node-a" }, tokens);
        await using var b = await ApiProcess.StartAsync(Named("node-b"), new Dictionary<string, string> { ["Runtime__NodeId"] = "node-b" }, tokens);
        using var inspectorA = Client(a, Roles.Inspector);
        using var inspectorB = Client(b, Roles.Inspector);
        using var officer = Client(b, Roles.Officer);
        var inspections = new List<Guid>();
        for (var i = 0; i < 4; i++) inspections.Add(await StartedInspectionAsync(officer, inspectorB));

        // Writers alternate between the nodes; a request that fails on the killed node is retried on the survivor with the same key.
        var acknowledged = new ConcurrentDictionary<Guid, string>();
        var killed = false;
        async Task WriterAsync(int writer)
        {
            for (var i = 0; i < 60; i++)
            {
                var finding = Guid.CreateVersion7();
                var key = $"w{writer}-{i}";
                var body = TestData.Finding(findingId: finding);
                var path = $"/api/v1/inspections/{inspections[(writer + i) % inspections.Count]}/findings";
                var viaA = (writer + i) % 2 == 0 && !Volatile.Read(ref killed);
                HttpResponseMessage? response = null;
                try
                {
                    response = await (viaA ? inspectorA : inspectorB).SendAsync(Post(path, body, key));
                }
                catch (HttpRequestException)
                {
                    // The node died under this request: whether it committed is unknown, so the same key goes to the survivor.
                }
                response ??= await inspectorB.SendAsync(Post(path, body, key));
                Assert.True(response.StatusCode == HttpStatusCode.Created, $"{key}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                acknowledged[finding] = key;
            }
        }
        var writers = Enumerable.Range(0, 4).Select(WriterAsync).ToList();
        while (acknowledged.Count < 60) await Task.Delay(10);
        Assert.Equal(["node-a"], await DaemonNodesAsync(database)); // the node about to die is the one projecting
        await a.KillAsync(); // SIGKILL mid-stream, its daemon and follow-up work mid-batch
        Volatile.Write(ref killed, true);
        await Task.WhenAll(writers);

        // No acknowledged write is lost, none is applied twice.
        var ids = string.Join(',', acknowledged.Keys.Select(k => $"'{k}'"));
        Assert.Equal(240, acknowledged.Count);
        Assert.Equal(240, await database.ScalarAsync($"SELECT count(*) FROM oversight.mt_events WHERE type = 'FindingRecorded.v1' AND (data ->> 'findingId')::uuid IN ({ids})"));
        Assert.Equal(240, await database.ScalarAsync("SELECT count(*) FROM oversight.mt_events WHERE type = 'FindingRecorded.v1'"));

        // The survivor takes over every projection (Marten's daemon, HotCold) and brings each to the head: about three quarters of the
        // writes came after the kill, so only it can have projected them.
        var head = await database.ScalarAsync("SELECT max(seq_id) FROM oversight.mt_events");
        var deadline = Stopwatch.StartNew();
        var shards = string.Join(", ", Projections.Select(p => $"'{p}'"));
        while (await database.ScalarAsync($"SELECT count(*) FROM oversight.mt_event_progression WHERE name IN ({shards}) AND last_seq_id >= {head}") < Projections.Length)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                Assert.Fail($"The survivor did not bring every projection to the head ({head}) within 60 s: "
                    + await database.TextAsync("SELECT string_agg(name || ' ' || last_seq_id, '; ') FROM oversight.mt_event_progression"));
            await Task.Delay(100);
            head = await database.ScalarAsync("SELECT max(seq_id) FROM oversight.mt_events");
        }

        // Follow-up work moved too: every finding (a trafficking indicator) is referred exactly once, those the killed node had
        // taken included (Marten's subscription resumes from its progress on the survivor; a second referral cannot start).
        deadline.Restart();
        var referrals = string.Join(',', acknowledged.Keys.Select(k => $"'referral-{k}'"));
        while (await database.ScalarAsync($"SELECT count(*) FROM oversight.mt_events WHERE stream_id IN ({referrals})") < 240)
        {
            // Messages the killed node had persisted but not handled are recovered once Wolverine deems it dead (about a minute).
            if (deadline.Elapsed > TimeSpan.FromSeconds(180))
                Assert.Fail($"{await database.ScalarAsync($"SELECT count(*) FROM oversight.mt_events WHERE stream_id IN ({referrals})")} of 240 findings referred after 180 s.");
            await Task.Delay(200);
        }
        Assert.Equal(240, await database.ScalarAsync($"SELECT count(*) FROM oversight.mt_events WHERE stream_id IN ({referrals})"));
        Assert.Equal(0, await database.ScalarAsync("SELECT count(*) FROM oversight.wolverine_dead_letters")); // none refused or failed

        // Its read models equal a rebuild from the events.
        await b.KillAsync(); // its daemon must not run beside the rebuild below
        await using var services = new ServiceCollection().AddLogging()
            .AddOversightStorage(database.ConnectionString, new ConfigurationBuilder().Build(), wolverine: false)
            .BuildServiceProvider();
        using var daemon = await services.GetRequiredService<IDocumentStore>().BuildProjectionDaemonAsync();
        foreach (var projection in OversightStorage.Projections(new RiskOptions()))
        {
            var tables = projection.Tables.Select(t => ProjectionTables.VersionedName(t, projection.Version)).ToList();
            var live = await SnapshotAsync(database, tables);
            await daemon.RebuildProjectionAsync(projection.Name, TimeSpan.FromMinutes(1), CancellationToken.None);
            Assert.Equal(live, await SnapshotAsync(database, tables));
        }
    }

    /// <summary>
    /// The nodes (by application name) whose connections last ran the daemon's own statements (its high-water poll and mark),
    /// sampled until one shows up. Only the node holding Marten's HotCold lock runs them; the poll runs every 20 ms also when no
    /// event arrives, so a node is seen after the writers have stopped too (the mark alone moves only while events do).
    /// </summary>
    private static async Task<IReadOnlyList<string>> DaemonNodesAsync(TestDatabase database)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var nodes = await database.TextAsync("""
                SELECT coalesce(string_agg(DISTINCT application_name, ','), '') FROM pg_stat_activity
                 WHERE datname = current_database() AND application_name LIKE 'node-%'
                   AND (query ILIKE '%mt_mark_event_progression%' OR query ILIKE '%as highest_sequence%') AND query NOT ILIKE '%create%'
                """);
            if (nodes.Length > 0) return nodes.Split(',');
            if (deadline.Elapsed > TimeSpan.FromSeconds(30)) Assert.Fail("No node ran the daemon's statements within 30 s.");
            await Task.Delay(50);
        }
    }

    private static async Task<Guid> StartedInspectionAsync(HttpClient officer, HttpClient inspector)
    {
        var so = await IdOf(await officer.SendAsync(Post("/api/v1/supervising-organizations", TestData.SupervisingOrganization())));
        var inspection = await IdOf(await inspector.SendAsync(Post("/api/v1/inspections",
            new { organizationId = so, kind = "Regular", scheduledOn = "2023-06-01", leadInspector = "inspector-7" })));
        Assert.Equal(HttpStatusCode.OK, (await inspector.SendAsync(Post($"/api/v1/inspections/{inspection}/start", new { startedOn = "2023-06-01" }))).StatusCode);
        return inspection;
    }

    private static async Task<IReadOnlyList<string>> SnapshotAsync(TestDatabase database, IReadOnlyList<string> tables)
    {
        var rows = new List<string>();
        foreach (var table in tables)
        {
            await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand($"SELECT t::text FROM readmodels.\"{table}\" t ORDER BY 1", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add($"{table}: {reader.GetString(0)}");
        }
        return rows;
    }

    private static HttpClient Client(ApiProcess node, string role)
    {
        var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", node.Token(role));
        return client;
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");

    private static HttpRequestMessage Post(string path, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private static async Task<Guid> IdOf(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
