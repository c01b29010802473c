using System.Net;
using System.Net.Http.Headers;
using Oversight.Domain.Common;
using Oversight.Domain.Inspections;
using Oversight.Domain.SupervisingOrganizations;
using JasperFx;
using Marten;
using Oversight.Persistence;
using Oversight.Persistence.Events;
using Oversight.Persistence.Integrity;
using Oversight.Persistence.Reading;
using Oversight.Security;
using Oversight.Testing;

namespace Oversight.Benchmarks.Scenarios;

/// <summary>
/// history-5000: p50 ms of GET /api/v1/organizations/{id}/history for a supervising organization with 5,000 events
/// across its streams (100 inspections of 50 events each, plus its own), through a real API process: finding the
/// related streams, the merged read, the folded state and the JSON. Baseline: a raw Npgsql SELECT of the same rows
/// in global order (payload as text), p50 ms in the same run, the two requested in turn.
/// </summary>
public sealed class HistoryScenario : IScenario
{
    private const string Schema = "history_bench";

    public string Name => "history-5000";

    public async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        await context.ExecuteAsync($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE");
        await using var store = DocumentStore.For(options =>
        {
            options.Configure(context.ConnectionString, TimeProvider.System, Schema);
            options.AutoCreateSchemaObjects = AutoCreate.All;
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await context.ExecuteAsync(EventReader.SubjectIndexSql(Schema));
        var organization = Guid.CreateVersion7();
        var metadata = new AppendMetadata { ActorId = "seed", ActorRole = "system" };
        var streams = new List<(string StreamId, List<PendingEvent> Events)>
        {
            (SupervisingOrganization.StreamId(organization),
            [
                new PendingEvent(new SupervisingOrganizationRegistered(organization, "許9900000002", "7000012050002", "History Cooperative", "13",
                    PermitCategory.General, new DateOnly(2018, 4, 1), new DateOnly(2023, 3, 31), Regime.Titp), new DateOnly(2018, 4, 1)),
            ]),
        };
        for (var i = 0; i < 100; i++)
        {
            var inspection = Guid.CreateVersion7();
            var on = new DateOnly(2018, 6, 1).AddDays(i * 10);
            var events = new List<PendingEvent>
            {
                new(new InspectionScheduled(inspection, organization, OrganizationType.SupervisingOrganization, InspectionKind.Regular, on, "inspector-0001"), on),
                new(new InspectionStarted(on), on),
            };
            for (var f = 0; f < 47; f++)
                events.Add(new(new FindingRecorded(Guid.CreateVersion7(), FindingCategory.RecordKeeping, Severity.Medium, "Art.16(1)(iv)", 1 + f % 4, on,
                    "Time records for the month were incomplete; overtime hours could not be verified against the payroll."), on));
            events.Add(new(new InspectionCompleted(on.AddDays(1), InspectionOutcome.ImprovementRecommendation), on.AddDays(1)));
            streams.Add((Inspection.StreamId(inspection), events));
        }
        await store.BulkInsertEventsAsync([.. streams.Select(s => ChainedAppends.StartChained(store, s.StreamId, s.Events, metadata, DateTimeOffset.UtcNow))]);
        await context.ExecuteAsync($"VACUUM ANALYZE \"{Schema}\".mt_events");

        await using var api = await ApiProcess.StartAsync(context.ConnectionString, new Dictionary<string, string>
        {
            ["Runtime__EventSchema"] = Schema,
            ["Runtime__ReadModelSchema"] = $"{Schema}_readmodels",
            ["Runtime__RunProjections"] = "false",
            ["Runtime__RunWorkers"] = "false",
        });
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", api.Token(Roles.Auditor));
        var requests = context.Size(200, 20);

        long returned = 0;
        var ids = streams.Select(s => s.StreamId).ToArray();
        // The full history and the raw read in turn (Latencies.AlternateAsync); a fresh process: the loops over 5,000 rows reach
        // their optimised tier only after some calls.
        var (ours, baseline) = await Latencies.AlternateAsync(requests, async () =>
        {
            using var response = await http.GetAsync($"/api/v1/organizations/{organization}/history?limit=10000");
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"history: {(int)response.StatusCode}");
            returned = (await response.Content.ReadAsByteArrayAsync()).LongLength;
        }, async () =>
        {
            await using var command = context.DataSource.CreateCommand(
                $"SELECT seq_id, stream_id, version, type, data::text, timestamp, headers->>'occurredOn', user_name FROM \"{Schema}\".mt_events WHERE stream_id = ANY($1) ORDER BY seq_id");
            command.Parameters.Add(new Npgsql.NpgsqlParameter<string[]> { TypedValue = ids });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) _ = reader.GetString(4);
        }, warmUp: 60);
        var firstPage = await Latencies.MeasureAsync(requests, async () =>
        {
            using var response = await http.GetAsync($"/api/v1/organizations/{organization}/history");
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"history: {(int)response.StatusCode}");
            await response.Content.ReadAsByteArrayAsync();
        });
        var fixedCost = await Latencies.MeasureAsync(requests, async () =>
        {
            using var response = await http.GetAsync($"/api/v1/organizations/{organization}/history?limit=1");
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"history: {(int)response.StatusCode}");
            await response.Content.ReadAsByteArrayAsync();
        });
        return new ScenarioResult(Name, Latencies.Percentile(ours, 0.5), Latencies.Percentile(baseline, 0.5), "ms",
            FormattableString.Invariant($"all 5,001 events in one response, {returned / 1024} KiB of JSON; p99 {Latencies.Percentile(ours, 0.99):0.0} ms vs raw {Latencies.Percentile(baseline, 0.99):0.0} ms; default first page (1,000 events) p50 {Latencies.Percentile(firstPage, 0.5):0.0} ms; one event (the fixed cost) p50 {Latencies.Percentile(fixedCost, 0.5):0.0} ms"));
    }
}
