using System.Net;
using System.Text.Json;
using Npgsql;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.Security;

/// <summary>Issue 14: personal data erased on a legal request is gone from every read and export; the chain still verifies and names the erasure; any other edit is still tampering.</summary>
public sealed class ErasureTests : IAsyncLifetime
{
    private const string Secret = "Trainee NGUYEN Van A told the inspector she was paid nothing for March overtime.";
    private readonly ApiFactory api = new();
    private Guid organization;
    private Guid inspection;

    public async ValueTask InitializeAsync()
    {
        await api.InitializeAsync();
        var supervising = await api.RegisterSupervisingOrganizationAsync();
        organization = await api.RegisterImplementingOrganizationAsync(supervising);
        inspection = await api.ScheduleInspectionAsync(organization);
        using var inspector = api.As(Roles.Inspector);
        await (await inspector.PostJsonAsync($"/api/v1/inspections/{inspection}/findings", new
        {
            category = "UnpaidWages", severity = "High", legalBasis = "Art.16(1)(iv)", traineesAffected = 1, observedOn = "2023-06-01", narrative = Secret,
        })).Expect(HttpStatusCode.Created);
    }

    public ValueTask DisposeAsync() => api.DisposeAsync();

    private async Task<JsonElement> EraseAsync(string key, object? body = null, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var admin = api.As(Roles.Admin, "dpo-1");
        return await (await admin.PostJsonAsync("/api/v1/admin/erasures",
            body ?? new { organizationId = organization, legalBasis = "APPI Art. 35(1)", reference = "Request 2026-041" }, key)).Expect(expected);
    }

    private async Task<JsonElement> VerificationAsync()
    {
        using var auditor = api.As(Roles.Auditor);
        var response = await auditor.GetAsync($"/api/v1/organizations/{organization}/verification");
        Assert.True(response.StatusCode == HttpStatusCode.OK, api.Errors.Last);
        return await response.Expect(HttpStatusCode.OK);
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task After_an_erasure_the_narrative_is_gone_everywhere_and_the_chain_verifies_naming_the_request()
    {
        Assert.True((await VerificationAsync()).GetProperty("isValid").GetBoolean());
        var erasure = await EraseAsync("erase-1");
        var request = erasure.GetProperty("requestId").GetGuid();
        Assert.Contains(erasure.GetProperty("events").EnumerateArray(), e => e.GetProperty("fields").EnumerateArray().Any(f => f.GetString() == "narrative"));

        using var auditor = api.As(Roles.Auditor);
        var reads = new[]
        {
            $"/api/v1/inspections/{inspection}", $"/api/v1/organizations/{organization}/history", $"/api/v1/organizations/{organization}/history?format=csv",
        };
        foreach (var path in reads)
        {
            var body = await (await auditor.GetAsync(path)).Content.ReadAsStringAsync();
            Assert.DoesNotContain("NGUYEN", body, StringComparison.Ordinal);
            if (path.Contains("history", StringComparison.Ordinal)) Assert.Contains("[erased]", body, StringComparison.Ordinal);
        }
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM oversight.mt_events WHERE data::text LIKE '%NGUYEN%' OR headers::text LIKE '%NGUYEN%'"));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM oversight.api_idempotency WHERE body LIKE '%NGUYEN%'"));
        // The finding indicates trafficking: its referral went through Wolverine, whose tables an erasure does not reach, so the
        // message never carried the narrative.
        foreach (var table in new[] { "wolverine_incoming_envelopes", "wolverine_outgoing_envelopes", "wolverine_dead_letters" })
            Assert.Equal(0, await ScalarAsync($"SELECT count(*) FROM oversight.{table} WHERE position('NGUYEN'::bytea in body) > 0"));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM oversight.mt_events WHERE headers ? 'personalKey' AND headers ? 'erasure'"));

        var verification = await VerificationAsync();
        Assert.True(verification.GetProperty("isValid").GetBoolean(), verification.ToString());
        var streams = verification.GetProperty("streams").EnumerateArray().ToList();
        var inspectionStream = streams.Single(s => s.GetProperty("streamId").GetString() == $"inspection-{inspection}");
        Assert.Contains(inspectionStream.GetProperty("erased").EnumerateArray(), e => e.GetProperty("requestId").GetGuid() == request);
        Assert.Contains(streams, s => s.GetProperty("streamId").GetString() == $"erasure-{request}" && s.GetProperty("isValid").GetBoolean());
    }

    [Fact]
    public async Task A_retried_erasure_answers_the_first_and_a_reused_key_with_another_request_is_refused()
    {
        var first = await EraseAsync("erase-2");
        var events = await api.EventCountAsync();
        var again = await EraseAsync("erase-2");
        Assert.Equal(first.GetProperty("requestId").GetGuid(), again.GetProperty("requestId").GetGuid());
        Assert.Equal(events, await api.EventCountAsync());

        using var admin = api.As(Roles.Admin, "dpo-1");
        var reused = await admin.PostJsonAsync("/api/v1/admin/erasures", new { organizationId = organization, legalBasis = "Another basis" }, "erase-2");
        await reused.ExpectProblem(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        var otherEvents = await admin.PostJsonAsync("/api/v1/admin/erasures",
            new { organizationId = organization, eventIds = new[] { Guid.CreateVersion7() }, legalBasis = "APPI Art. 35(1)", reference = "Request 2026-041" }, "erase-2");
        await otherEvents.ExpectProblem(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        await EraseAsync("erase-3", expected: HttpStatusCode.UnprocessableEntity); // nothing left to erase
    }

    public static TheoryData<string> Edits => new("another field of the erased event", "the erased field given a value", "the kept digest", "another event");

    [Theory]
    [MemberData(nameof(Edits))]
    public async Task Any_other_edit_after_an_erasure_is_still_named_as_tampering(string edit)
    {
        await EraseAsync($"erase-{edit}");
        var sql = edit switch
        {
            "another field of the erased event" => "UPDATE oversight.mt_events SET data = jsonb_set(data, '{severity}', '\"Low\"') WHERE type = 'FindingRecorded.v1'",
            "the erased field given a value" => "UPDATE oversight.mt_events SET data = jsonb_set(data, '{narrative}', '\"All wages were paid.\"') WHERE type = 'FindingRecorded.v1'",
            "the kept digest" => "UPDATE oversight.mt_events SET headers = jsonb_set(headers, '{erasure,digests,narrative}', '\"00\"') WHERE type = 'FindingRecorded.v1'",
            "another event" => "UPDATE oversight.mt_events SET data = jsonb_set(data, '{startedOn}', '\"2023-06-02\"') WHERE type = 'InspectionStarted.v1'",
            _ => throw new ArgumentOutOfRangeException(nameof(edit)),
        };
        Assert.Equal(1, await ScalarAsync($"WITH edited AS ({sql} RETURNING 1) SELECT count(*) FROM edited"));

        var verification = await VerificationAsync();
        Assert.False(verification.GetProperty("isValid").GetBoolean());
        var failure = verification.GetProperty("firstFailure");
        Assert.Equal($"inspection-{inspection}", failure.GetProperty("streamId").GetString());
        var expectedType = edit == "another event" ? "InspectionStarted.v1" : "FindingRecorded.v1";
        Assert.Equal(1, await ScalarAsync($"SELECT count(*) FROM oversight.mt_events WHERE id = '{failure.GetProperty("firstInvalidEventId").GetGuid()}' AND type = '{expectedType}'"));
    }

    [Fact]
    public async Task A_field_blanked_in_SQL_and_dressed_as_an_erasure_is_named_as_tampering()
    {
        // Someone with write access reads the key, computes the right digests, blanks the narrative and marks it erased by a request
        // that was never made: the chain hashes still match, the missing erasure record does not.
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        Guid id;
        string data, headers;
        await using (var read = new NpgsqlCommand("SELECT id, data::text, headers::text FROM oversight.mt_events WHERE type = 'FindingRecorded.v1'", connection))
        await using (var row = await read.ExecuteReaderAsync())
        {
            Assert.True(await row.ReadAsync());
            (id, data, headers) = (row.GetGuid(0), row.GetString(1), row.GetString(2));
        }
        using var parsed = JsonDocument.Parse(headers);
        var key = Convert.FromHexString(parsed.RootElement.GetProperty("personalKey").GetString()!);
        var digests = JsonSerializer.Serialize(Oversight.Persistence.Integrity.PersonalFields.Digests("FindingRecorded.v1", data, key));
        await using (var forge = new NpgsqlCommand(
            "UPDATE oversight.mt_events SET data = jsonb_set(data, '{narrative}', '\"[erased]\"'), headers = (headers - 'personalKey') || " +
            "jsonb_build_object('erasure', jsonb_build_object('request', $1::text, 'digests', $2::jsonb)) WHERE id = $3", connection))
        {
            forge.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Guid.CreateVersion7().ToString() });
            forge.Parameters.Add(new NpgsqlParameter<string> { TypedValue = digests });
            forge.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            Assert.Equal(1, await forge.ExecuteNonQueryAsync());
        }

        var verification = await VerificationAsync();
        Assert.False(verification.GetProperty("isValid").GetBoolean());
        var failure = verification.GetProperty("firstFailure");
        Assert.Equal(id, failure.GetProperty("firstInvalidEventId").GetGuid());
        Assert.Contains("no recorded erasure", failure.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_is_a_problem_and_erases_nothing()
    {
        using var admin = api.As(Roles.Admin);
        using (var malformed = new StringContent("{\"organizationId\":", System.Text.Encoding.UTF8, "application/json"))
            await (await admin.PostAsync("/api/v1/admin/erasures", malformed)).ExpectProblem(HttpStatusCode.BadRequest);
        using (var text = new StringContent("erase", System.Text.Encoding.UTF8, "text/plain"))
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await admin.PostAsync("/api/v1/admin/erasures", text)).StatusCode);
        await (await admin.PostJsonAsync("/api/v1/admin/erasures", new { organizationId = organization, legalBasis = " " })).ExpectProblem(HttpStatusCode.BadRequest);
        await (await admin.PostJsonAsync("/api/v1/admin/erasures", new { organizationId = Guid.CreateVersion7(), legalBasis = "APPI Art. 35(1)" }))
            .ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM oversight.mt_events WHERE data::text LIKE '%[erased]%'"));
    }

    [Theory]
    [InlineData(Roles.Officer)]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Analyst)]
    [InlineData(Roles.Inspector)]
    public async Task Only_admins_erase(string role)
    {
        using var client = api.As(role);
        var response = await client.PostJsonAsync("/api/v1/admin/erasures", new { organizationId = organization, legalBasis = "APPI Art. 35(1)" }, "k");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM oversight.mt_events WHERE data::text LIKE '%[erased]%'"));
    }

    [Fact]
    public async Task Erasing_given_events_leaves_the_others_and_refuses_events_of_another_record()
    {
        var scheduled = await ScalarAsync($"SELECT count(*) FROM oversight.mt_events WHERE type = 'InspectionScheduled.v1' AND stream_id = 'inspection-{inspection}'");
        Assert.Equal(1, scheduled);
        var findingEvent = await GuidAsync("SELECT id FROM oversight.mt_events WHERE type = 'FindingRecorded.v1'");
        var erased = await EraseAsync("erase-one", new { organizationId = organization, eventIds = new[] { findingEvent }, legalBasis = "APPI Art. 35(1)" });
        Assert.Equal(1, erased.GetProperty("eventsErased").GetInt32());
        using var auditor = api.As(Roles.Auditor);
        var history = await (await auditor.GetAsync($"/api/v1/organizations/{organization}/history")).Content.ReadAsStringAsync();
        Assert.Contains("inspector-7", history, StringComparison.Ordinal); // the lead inspector: not among the events named
        Assert.DoesNotContain("NGUYEN", history, StringComparison.Ordinal);
        Assert.True((await VerificationAsync()).GetProperty("isValid").GetBoolean());

        await EraseAsync("erase-other", new { organizationId = organization, eventIds = new[] { Guid.CreateVersion7() }, legalBasis = "APPI Art. 35(1)" },
            HttpStatusCode.UnprocessableEntity);

        // Events alone, without naming the record: the lead inspector's name goes too.
        var scheduledEvent = await GuidAsync($"SELECT id FROM oversight.mt_events WHERE type = 'InspectionScheduled.v1' AND stream_id = 'inspection-{inspection}'");
        var byEvent = await EraseAsync("erase-by-event", new { eventIds = new[] { scheduledEvent }, legalBasis = "APPI Art. 35(1)" });
        Assert.Equal(1, byEvent.GetProperty("eventsErased").GetInt32());
        Assert.DoesNotContain("inspector-7", await (await auditor.GetAsync($"/api/v1/organizations/{organization}/history")).Content.ReadAsStringAsync(),
            StringComparison.Ordinal);
        Assert.True((await VerificationAsync()).GetProperty("isValid").GetBoolean());
        await EraseAsync("erase-nothing", new { legalBasis = "APPI Art. 35(1)" }, HttpStatusCode.BadRequest);
    }

    private async Task<Guid> GuidAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (Guid)(await command.ExecuteScalarAsync())!;
    }
}
