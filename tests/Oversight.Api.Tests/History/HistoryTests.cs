using System.Globalization;
using System.Net;
using System.Text.Json;
using Npgsql;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.History;

/// <summary>
/// An organization's history: every event of it and of the streams that concern it (inspections, orders, legal entity, sending
/// organizations of its plans) in global order with metadata; asOf / recordedBefore; paging; CSV; hash-chain verification.
/// Each test has its own host on a manual clock (so recording times are the test's to choose and no scheduled check interferes).
/// </summary>
public sealed class HistoryTests
{
    private sealed record Scenario(Guid So, Guid Io, Guid Inspection, Guid Order, Guid Sender, string Plan, long Head);

    private const string OfficerId = "officer-history-1";
    private const string InspectorId = "inspector-history-2";

    /// <summary>An implementing organization with a plan naming a sending organization, an inspection with a finding, an order, a MOC report and a partial plan revocation.</summary>
    private static async Task<Scenario> ScenarioAsync(ApiFactory api)
    {
        var so = await api.RegisterSoAsync(subject: OfficerId);
        var io = await api.RegisterIoAsync(so, registeredOn: "2023-01-10", subject: OfficerId);
        var sender = await api.RegisterSenderAsync("VN");
        var plan = await api.AccreditAsync(io, sendingOrganizationId: sender);
        var other = await api.AccreditAsync(io);
        var inspection = await api.StartInspectionAsync(io, "2023-06-01", subject: InspectorId);
        var finding = await api.FindAsync(inspection, "UnpaidWages", "2023-06-01", subject: InspectorId);
        await api.CompleteInspectionAsync(inspection, "2023-06-02");
        var order = (await api.WriteAsync(Roles.Officer, "/api/v1/correction-orders", TestData.ImprovementOrder(io, inspection, [finding.Id()]), OfficerId,
            correlationId: "corr-order-1")).Id();
        await api.ReportSenderAsync(sender, "2023-09-01");
        await api.WriteAsync(Roles.Officer, $"/api/v1/implementing-organizations/{io}/plan-revocations",
            new { effectiveOn = "2023-12-01", planNumbers = new[] { other }, legalBasis = "Art.16(1)(iv)", reason = "False reports." }, OfficerId, "corr-revocation-1");
        // The follow-up work these writes cause (deadline checks by the business clock) lands before the tests read histories.
        return new Scenario(so, io, inspection, order, sender, plan, await api.SettledAsync());
    }

    private static async Task<List<long>> StoredPositionsAsync(ApiFactory api, IEnumerable<string> streams)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT seq_id FROM oversight.mt_events WHERE stream_id = ANY($1) ORDER BY seq_id", connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. streams] });
        var result = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) result.Add(reader.GetInt64(0));
        return result;
    }

    private static List<JsonElement> Events(JsonElement page) => [.. page.GetProperty("events").EnumerateArray()];

    private static List<string> Types(JsonElement page) => [.. Events(page).Select(e => e.GetProperty("type").GetString()!)];

    [Fact]
    public async Task Events_of_the_organization_and_of_what_concerns_it_in_global_order_with_metadata()
    {
        await using var api = await ReadSide.StartAsync();
        var s = await ScenarioAsync(api);
        // The referral of the trafficking finding is appended after commit (daemon → Wolverine → handler): wait for it as long as
        // SettledAsync waits for follow-up work, since under the parallel suite's load the chain took over 15 s once.
        var page = await ReadSide.EventuallyAsync(() => api.GetJsonAsync(Roles.Auditor, $"/api/v1/organizations/{s.Io}/history"),
            p => Events(p).Any(e => e.GetProperty("streamId").GetString()!.StartsWith("referral-", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60), "the referral in the history");

        Assert.Equal("ImplementingOrganization", page.GetProperty("organizationType").GetString());
        var streams = page.GetProperty("streams").EnumerateArray().Select(x => x.GetString()!).ToList();
        var events = Events(page);
        var positions = events.Select(e => e.GetProperty("position").GetInt64()).ToList();
        Assert.Equal(await StoredPositionsAsync(api, streams), positions); // every event of those streams, in global order
        Assert.True(positions.Zip(positions.Skip(1)).All(p => p.First < p.Second));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);

        // The organization's own stream, its inspection, its order, its legal entity, the sending organization its plan names,
        // and the referral the handler runtime opened for the trafficking finding.
        var eventStreams = events.Select(e => e.GetProperty("streamId").GetString()!).Distinct().ToList();
        Assert.Equal(6, eventStreams.Count);
        Assert.Contains(eventStreams, id => id.StartsWith("referral-", StringComparison.Ordinal));
        Assert.All(eventStreams, id => Assert.Contains(id, streams));
        Assert.Contains(eventStreams, id => id.Contains(s.Io.ToString(), StringComparison.OrdinalIgnoreCase));
        Assert.Contains(eventStreams, id => id.Contains(s.Inspection.ToString(), StringComparison.OrdinalIgnoreCase));
        Assert.Contains(eventStreams, id => id.Contains(s.Order.ToString(), StringComparison.OrdinalIgnoreCase));
        Assert.Contains(eventStreams, id => id.Contains(s.Sender.ToString(), StringComparison.OrdinalIgnoreCase));
        Assert.Equal(
            ["ImplementingOrganizationRegistered", "SendingOrganizationRegistered", "TrainingPlanAccredited", "TrainingPlanAccredited", "InspectionScheduled",
                "InspectionStarted", "FindingRecorded", "InspectionCompleted", "CorrectionOrderIssued", "SendingOrganizationReportedUnderMoc",
                "PlanAccreditationRevoked", "EntityDisqualified"],
            Types(page).Where(t => t != "TraffickingSuspicionReferred")); // the referral lands whenever its handler ran
        Assert.Single(Types(page), "TraffickingSuspicionReferred");
        // The supervising organization's own events are not the implementing organization's.
        Assert.DoesNotContain("SupervisingOrganizationRegistered", Types(page));

        foreach (var e in events)
        {
            Assert.False(string.IsNullOrEmpty(e.GetProperty("actorId").GetString()), e.ToString());
            Assert.False(string.IsNullOrEmpty(e.GetProperty("actorRole").GetString()), e.ToString());
            Assert.Equal(ReadSide.Start, e.GetProperty("recordedAt").GetDateTimeOffset());
            Assert.True(e.TryGetProperty("occurredOn", out _));
            Assert.True(e.TryGetProperty("correlationId", out _));
            Assert.Equal(JsonValueKind.Object, e.GetProperty("data").ValueKind);
        }
        var registered = events.Single(e => e.GetProperty("type").GetString() == "ImplementingOrganizationRegistered");
        Assert.Equal(OfficerId, registered.GetProperty("actorId").GetString());
        Assert.Equal(Roles.Officer, registered.GetProperty("actorRole").GetString());
        Assert.Equal("2023-01-10", registered.GetProperty("occurredOn").GetString());
        var finding = events.Single(e => e.GetProperty("type").GetString() == "FindingRecorded");
        Assert.Equal(InspectorId, finding.GetProperty("actorId").GetString());
        Assert.Equal(Roles.Inspector, finding.GetProperty("actorRole").GetString());
        Assert.Equal("2023-06-01", finding.GetProperty("occurredOn").GetString());
        var issued = events.Single(e => e.GetProperty("type").GetString() == "CorrectionOrderIssued");
        Assert.Equal("corr-order-1", issued.GetProperty("correlationId").GetString());
        Assert.Equal("2023-07-01", issued.GetProperty("occurredOn").GetString());
        // One write, one correlation: the revocation and the entity's disqualification.
        Assert.All(events.Where(e => e.GetProperty("type").GetString() is "PlanAccreditationRevoked" or "EntityDisqualified"),
            e => Assert.Equal("corr-revocation-1", e.GetProperty("correlationId").GetString()));

        // The current state is the full fold.
        var state = page.GetProperty("state");
        Assert.Equal(2, state.GetProperty("plans").GetArrayLength());
    }

    [Fact]
    public async Task AsOf_filters_by_business_date_and_folds_the_state_accordingly()
    {
        await using var api = await ReadSide.StartAsync();
        var s = await ScenarioAsync(api);
        var full = await api.GetJsonAsync(Roles.Auditor, $"/api/v1/organizations/{s.Io}/history");
        foreach (var asOf in new[] { "2023-01-09", "2023-01-10", "2023-05-31", "2023-06-01", "2023-11-30", "2023-12-01" })
        {
            var page = await api.GetJsonAsync(Roles.Auditor, $"/api/v1/organizations/{s.Io}/history?asOf={asOf}");
            Assert.Equal(asOf, page.GetProperty("asOf").GetString());
            var date = DateOnly.ParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var expected = Events(full).Where(e => e.GetProperty("occurredOn").ValueKind == JsonValueKind.Null
                || DateOnly.ParseExact(e.GetProperty("occurredOn").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture) <= date)
                .Select(e => e.GetProperty("position").GetInt64()).ToList();
            Assert.Equal(expected, Events(page).Select(e => e.GetProperty("position").GetInt64()).ToList());
        }

        // Before registration: nothing of the organization, no state.
        var before = await api.GetJsonAsync(Roles.Auditor, $"/api/v1/organizations/{s.Io}/history?asOf=2023-01-09");
        Assert.DoesNotContain("ImplementingOrganizationRegistered", Types(before));
        Assert.Equal(JsonValueKind.Null, before.GetProperty("state").ValueKind);
        // Plans accredited 2023-03-01; one revoked on 2023-12-01: the state knows the revocation only from that day.
        var november = await api.GetJsonAsync(Roles.Auditor, $"/api/v1/organizations/{s.Io}/history?asOf=2023-11-30");
        Assert.DoesNotContain("PlanAccreditationRevoked", Types(november));
        Assert.Contains("FindingRecorded", Types(november));
        var december = await api.GetJsonAsync(Roles.Auditor, $"/api/v1/organizations/{s.Io}/history?asOf=2023-12-01");
        Assert.Contains("PlanAccreditationRevoked", Types(december));
        Assert.NotEqual(november.GetProperty("state").GetRawText(), december.GetProperty("state").GetRawText());
        Assert.Equal(full.GetProperty("state").GetRawText(), december.GetProperty("state").GetRawText());
        Assert.Equal(0, november.GetProperty("state").GetProperty("plans").EnumerateArray().Count(p => p.GetProperty("revoked").GetBoolean()));
        Assert.Equal(1, december.GetProperty("state").GetProperty("plans").EnumerateArray().Count(p => p.GetProperty("revoked").GetBoolean()));
    }

    [Fact]
    public async Task RecordedBefore_shows_what_the_system_knew_then()
    {
        await using var api = await ReadSide.StartAsync();
        var so = await api.RegisterSoAsync();
        var io = await api.RegisterIoAsync(so);
        var plan = await api.AccreditAsync(io);
        var earlier = await api.HeadAsync();
        var then = api.Clock.GetUtcNow().AddMinutes(30);
        api.Clock.Advance(TimeSpan.FromHours(1));
        // Recorded later, but its business date (1 December) is not the point: the system did not know it at `then`.
        var revoked = await api.RevokePlansAsync(io, "2023-12-01", [plan]);

        var query = Uri.EscapeDataString(then.ToString("O", CultureInfo.InvariantCulture));
        var past = await api.GetJsonAsync(Roles.Auditor, $"/api/v1/organizations/{io}/history?recordedBefore={query}");
        var positions = Events(past).Select(e => e.GetProperty("position").GetInt64()).ToList();
        Assert.All(positions, p => Assert.True(p <= earlier));
        Assert.DoesNotContain("PlanAccreditationRevoked", Types(past));
        Assert.DoesNotContain("EntityDisqualified", Types(past));
        Assert.Equal(["ImplementingOrganizationRegistered", "TrainingPlanAccredited"], Types(past));
        var plans = past.GetProperty("state").GetProperty("plans").EnumerateArray().ToList();
        Assert.False(Assert.Single(plans).GetProperty("revoked").GetBoolean());

        var now = await api.GetJsonAsync(Roles.Auditor, $"/api/v1/organizations/{io}/history");
        Assert.Contains(revoked.Position(), Events(now).Select(e => e.GetProperty("position").GetInt64()));
        Assert.True(Assert.Single(now.GetProperty("state").GetProperty("plans").EnumerateArray()).GetProperty("revoked").GetBoolean());
        Assert.All(Events(now).Where(e => e.GetProperty("position").GetInt64() > earlier),
            e => Assert.Equal(ReadSide.Start.AddHours(1), e.GetProperty("recordedAt").GetDateTimeOffset()));
    }

    [Fact]
    public async Task Paging_with_after_and_limit_covers_every_event_once()
    {
        await using var api = await ReadSide.StartAsync();
        var s = await ScenarioAsync(api);
        var full = Events(await api.GetJsonAsync(Roles.Auditor, $"/api/v1/organizations/{s.Io}/history")).Select(e => e.GetProperty("position").GetInt64()).ToList();
        Assert.True(full.Count >= 10);
        foreach (var limit in new[] { 1, 3, full.Count })
        {
            var seen = new List<long>();
            long? after = null;
            var pages = 0;
            do
            {
                using var auditor = api.As(Roles.Auditor);
                var response = await auditor.GetAsync($"/api/v1/organizations/{s.Io}/history?limit={limit}" + (after is null ? "" : $"&after={after}"));
                var page = await response.Expect(HttpStatusCode.OK);
                var events = Events(page);
                Assert.True(events.Count <= limit);
                seen.AddRange(events.Select(e => e.GetProperty("position").GetInt64()));
                after = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetInt64();
                if (after is not null)
                {
                    Assert.Equal(events[^1].GetProperty("position").GetInt64(), after);
                    Assert.Contains($"after={after}", response.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
                }
                Assert.True(++pages <= full.Count + 1, "paging does not end");
            }
            while (after is not null);
            Assert.Equal(full, seen);
        }
    }

    [Fact]
    public async Task Csv_by_format_and_by_accept_has_the_same_rows_as_json()
    {
        await using var api = await ReadSide.StartAsync();
        var s = await ScenarioAsync(api);
        // Text with commas, quotes and a line break must survive the CSV quoting.
        var inspection = await api.StartInspectionAsync(s.Io, "2023-10-01", subject: InspectorId);
        await api.FindAsync(inspection, "Dormitory", "2023-10-01", "Room \"B\", shared by 6,\r\nno heating.", InspectorId);
        var page = await api.GetJsonAsync(Roles.Auditor, $"/api/v1/organizations/{s.Io}/history");
        string[] header = ["position", "streamId", "version", "eventId", "type", "schemaVersion", "occurredOn", "recordedAt", "actorId", "actorRole",
            "correlationId", "causationId", "data"];
        foreach (var viaAccept in new[] { false, true })
        {
            var text = await api.GetCsvAsync(Roles.Auditor, $"/api/v1/organizations/{s.Io}/history" + (viaAccept ? "" : "?format=csv"), viaAccept);
            var records = Csv.Parse(text);
            Assert.Equal(header, records[0]);
            var rows = records.Skip(1).ToList();
            var events = Events(page);
            Assert.Equal(events.Count, rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                var e = events[i];
                var row = rows[i];
                foreach (var (column, index) in header.Select((h, n) => (h, n)))
                {
                    var value = e.GetProperty(column);
                    switch (column)
                    {
                        case "recordedAt":
                            Assert.Equal(value.GetDateTimeOffset(), DateTimeOffset.Parse(row[index], CultureInfo.InvariantCulture));
                            break;
                        case "data":
                            Assert.True(JsonElement.DeepEquals(value, JsonDocument.Parse(row[index]).RootElement), $"{value} vs {row[index]}");
                            break;
                        default:
                            Assert.Equal(ReadSide.Text(value), row[index]);
                            break;
                    }
                }
            }
        }
    }

    [Fact]
    public async Task Verification_is_valid_until_an_event_is_altered_in_the_database()
    {
        await using var api = await ReadSide.StartAsync();
        var s = await ScenarioAsync(api);
        var valid = await api.GetJsonAsync(Roles.Auditor, $"/api/v1/organizations/{s.Io}/verification");
        Assert.True(valid.GetProperty("isValid").GetBoolean(), valid.ToString());
        Assert.Equal(JsonValueKind.Null, valid.GetProperty("firstFailure").ValueKind);
        var history = Events(await api.GetJsonAsync(Roles.Auditor, $"/api/v1/organizations/{s.Io}/history"));
        Assert.Equal(history.Count, valid.GetProperty("eventsChecked").GetInt64());

        // Alter the data of the finding (not the last event of its stream) behind the application's back.
        var finding = history.Single(e => e.GetProperty("type").GetString() == "FindingRecorded");
        var sequence = finding.GetProperty("position").GetInt64();
        await using (var connection = new NpgsqlConnection(api.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "UPDATE oversight.mt_events SET data = jsonb_set(data, '{traineesAffected}', '0'::jsonb) WHERE seq_id = $1", connection);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sequence });
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var invalid = await api.GetJsonAsync(Roles.Auditor, $"/api/v1/organizations/{s.Io}/verification");
        Assert.False(invalid.GetProperty("isValid").GetBoolean(), invalid.ToString());
        var failure = invalid.GetProperty("firstFailure");
        Assert.Equal(sequence, failure.GetProperty("firstInvalidSequence").GetInt64());
        Assert.Equal(finding.GetProperty("streamId").GetString(), failure.GetProperty("streamId").GetString());
        // The other streams are still intact.
        Assert.Single(invalid.GetProperty("streams").EnumerateArray(), r => !r.GetProperty("isValid").GetBoolean());

        // Other roles may verify; analysts may not.
        foreach (var role in new[] { Roles.Officer, Roles.Inspector, Roles.Admin })
            Assert.False((await api.GetJsonAsync(role, $"/api/v1/organizations/{s.Io}/verification")).GetProperty("isValid").GetBoolean());
    }

    [Fact]
    public async Task History_of_an_unknown_organization_is_404_and_bad_paging_is_400()
    {
        await using var api = await ReadSide.StartAsync();
        var so = await api.RegisterSoAsync();
        using var auditor = api.As(Roles.Auditor);
        await (await auditor.GetAsync($"/api/v1/organizations/{Guid.NewGuid()}/history")).ExpectProblem(HttpStatusCode.NotFound);
        var problem = await (await auditor.GetAsync($"/api/v1/organizations/{so}/history?limit=0")).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("limit", out _));
        problem = await (await auditor.GetAsync($"/api/v1/organizations/{so}/history?format=xml")).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("format", out _));
    }
}
