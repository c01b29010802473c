using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.Security;

/// <summary>Issue 14: every read of personal data leaves one entry (who, role, what, when, why), admins query them, auditors see an organization's readers.</summary>
public sealed class AccessLogTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private ApiFactory Api => fixture.Api;
    private World W => fixture.World;

    /// <summary>The reads of personal data: the path, the subject it names, and the organization the record concerns (if one).</summary>
    public static TheoryData<string> Reads => new("organization", "history", "verification", "inspection", "correction order", "sending organization");

    private (string Path, Guid Subject, string Action, Guid? Organization) Read(string name) => name switch
    {
        "organization" => ($"/api/v1/organizations/{W.ImplementingOrganization}", W.ImplementingOrganization, "organization.state", W.ImplementingOrganization),
        "history" => ($"/api/v1/organizations/{W.ImplementingOrganization}/history", W.ImplementingOrganization, "organization.history", W.ImplementingOrganization),
        "verification" => ($"/api/v1/organizations/{W.SupervisingOrganization}/verification", W.SupervisingOrganization, "organization.verification", W.SupervisingOrganization),
        "inspection" => ($"/api/v1/inspections/{W.Inspection}", W.Inspection, "inspection.read", W.ImplementingOrganization),
        "correction order" => ($"/api/v1/correction-orders/{W.OpenOrder}", W.OpenOrder, "correction-order.read", W.ImplementingOrganization),
        "sending organization" => ($"/api/v1/sending-organizations/{W.SendingOrganization}", W.SendingOrganization, "sending-organization.read", null),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private async Task<JsonElement[]> EntriesAsync(string query)
    {
        using var admin = Api.As(Roles.Admin, "admin-reading-the-log");
        var response = await admin.GetAsync($"/api/v1/admin/access-log?{query}");
        await response.Expect(HttpStatusCode.OK);
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entries").EnumerateArray()];
    }

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task Each_read_of_personal_data_is_logged_once_with_its_reader_and_purpose(string name)
    {
        var (path, subject, action, organization) = Read(name);
        var reader = $"auditor-{Guid.NewGuid():N}";
        using var client = Api.As(Roles.Auditor, reader);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Purpose", "Complaint 2026-117 follow-up");
        request.Headers.Add("X-Correlation-Id", $"corr-{reader}");
        await (await client.SendAsync(request)).Expect(HttpStatusCode.OK);

        var entry = Assert.Single(await EntriesAsync($"actor={reader}"));
        Assert.Contains(await EntriesAsync($"subject={subject.ToString().ToUpperInvariant()}"), e => e.GetProperty("actorId").GetString() == reader);
        Assert.Equal(Roles.Auditor, entry.GetProperty("actorRole").GetString());
        Assert.Equal(action, entry.GetProperty("action").GetString());
        Assert.Equal(subject.ToString(), entry.GetProperty("subjectId").GetString());
        Assert.Equal(organization?.ToString(), entry.GetProperty("organizationId").GetString());
        Assert.Equal("Complaint 2026-117 follow-up", entry.GetProperty("purpose").GetString());
        Assert.Equal($"corr-{reader}", entry.GetProperty("correlationId").GetString());
    }

    [Fact]
    public async Task A_read_by_an_id_spelled_otherwise_is_logged_under_the_same_subject()
    {
        var reader = $"auditor-{Guid.NewGuid():N}";
        using (var client = Api.As(Roles.Auditor, reader))
            await (await client.GetAsync($"/api/v1/sending-organizations/{W.SendingOrganization.ToString().ToUpperInvariant()}")).Expect(HttpStatusCode.OK);
        var entry = Assert.Single(await EntriesAsync($"subject={W.SendingOrganization}"), e => e.GetProperty("actorId").GetString() == reader);
        Assert.Equal(W.SendingOrganization.ToString(), entry.GetProperty("subjectId").GetString());
    }

    [Fact]
    public async Task An_auditor_sees_who_read_an_organizations_record_including_its_inspections_and_others_may_not()
    {
        var reader = $"inspector-{Guid.NewGuid():N}";
        using (var inspector = Api.As(Roles.Inspector, reader))
        {
            await (await inspector.GetAsync($"/api/v1/inspections/{W.Inspection}")).Expect(HttpStatusCode.OK);
            await (await inspector.GetAsync($"/api/v1/organizations/{W.ImplementingOrganization}")).Expect(HttpStatusCode.OK);
        }
        using var auditor = Api.As(Roles.Auditor);
        var response = await auditor.GetAsync($"/api/v1/organizations/{W.ImplementingOrganization}/access-log");
        await response.Expect(HttpStatusCode.OK);
        var entries = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("actorId").GetString() == reader).Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["organization.state", "inspection.read"], entries); // newest first

        foreach (var role in new[] { Roles.Analyst, Roles.Inspector, Roles.Officer })
        {
            using var other = Api.As(role);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"/api/v1/organizations/{W.ImplementingOrganization}/access-log")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/v1/admin/access-log")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.GetAsync("/api/v1/admin/access-log")).StatusCode);
    }

    [Fact]
    public async Task Statistics_risk_and_refused_or_missing_reads_leave_no_entry()
    {
        var analyst = $"analyst-{Guid.NewGuid():N}";
        using (var client = Api.As(Roles.Analyst, analyst))
        {
            await (await client.GetAsync("/api/v1/statistics/revocations?groupBy=fiscalYear")).Expect(HttpStatusCode.OK);
            await (await client.GetAsync($"/api/v1/organizations/{W.ImplementingOrganization}/risk")).Expect(HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/v1/organizations/{W.ImplementingOrganization}/history")).StatusCode);
        }
        Assert.Empty(await EntriesAsync($"actor={analyst}"));

        var auditor = $"auditor-{Guid.NewGuid():N}";
        using (var client = Api.As(Roles.Auditor, auditor))
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/inspections/{Guid.CreateVersion7()}")).StatusCode);
        Assert.Empty(await EntriesAsync($"actor={auditor}"));
    }

    [Fact]
    public async Task The_log_is_filtered_by_subject_and_time_and_exported_as_csv()
    {
        var reader = $"officer-{Guid.NewGuid():N}";
        using (var client = Api.As(Roles.Officer, reader))
            await (await client.GetAsync($"/api/v1/correction-orders/{W.OpenOrder}")).Expect(HttpStatusCode.OK);
        var now = Api.Clock.GetUtcNow();
        Assert.Contains(await EntriesAsync($"subject={W.OpenOrder}"), e => e.GetProperty("actorId").GetString() == reader);
        Assert.Empty(await EntriesAsync($"actor={reader}&from={Uri.EscapeDataString(now.AddSeconds(1).ToString("O"))}"));
        Assert.Single(await EntriesAsync($"actor={reader}&from={Uri.EscapeDataString(now.AddMinutes(-1).ToString("O"))}&to={Uri.EscapeDataString(now.AddMinutes(1).ToString("O"))}"));

        using var admin = Api.As(Roles.Admin);
        var csv = await admin.GetAsync($"/api/v1/admin/access-log?actor={reader}&format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var lines = (await csv.Content.ReadAsStringAsync()).Trim().Split('\n');
        Assert.StartsWith("at,actorId,actorRole,action", lines[0], StringComparison.Ordinal);
        Assert.Contains(reader, Assert.Single(lines[1..]), StringComparison.Ordinal);
        await (await admin.GetAsync("/api/v1/admin/access-log?limit=0")).ExpectProblem(HttpStatusCode.BadRequest, "invalid-request");
    }

    [Fact]
    public async Task A_history_whose_entry_cannot_be_written_is_not_served()
    {
        // The entry must be durable before the first byte of the page leaves: a trigger makes this reader's entries fail as when
        // the database goes away.
        var reader = $"auditor-{Guid.NewGuid():N}";
        var name = $"oversight.refuse_{reader.Replace('-', '_')}";
        await ExecuteAsync($"""
            CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.actor_id = '{reader}' THEN RAISE EXCEPTION 'the log is away' USING ERRCODE = '57P03'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER refuse_{reader.Replace('-', '_')} BEFORE INSERT ON oversight.access_log FOR EACH ROW EXECUTE FUNCTION {name}();
            """);
        try
        {
            using var client = Api.As(Roles.Auditor, reader);
            var response = await client.GetAsync($"/api/v1/organizations/{W.ImplementingOrganization}/history");
            var problem = await response.ExpectProblem(HttpStatusCode.ServiceUnavailable, "database-unavailable");
            Assert.True(response.Headers.RetryAfter is not null);
            Assert.False(problem.TryGetProperty("events", out _));
        }
        finally
        {
            await ExecuteAsync($"DROP TRIGGER refuse_{reader.Replace('-', '_')} ON oversight.access_log; DROP FUNCTION {name}();");
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task The_log_is_append_only_and_outlives_the_node_that_wrote_it()
    {
        var reader = $"auditor-{Guid.NewGuid():N}";
        using (var client = Api.As(Roles.Auditor, reader))
            await (await client.GetAsync($"/api/v1/organizations/{W.SupervisingOrganization}")).Expect(HttpStatusCode.OK);

        await using (var connection = new NpgsqlConnection(Api.ConnectionString))
        {
            await connection.OpenAsync();
            foreach (var sql in new[] { "UPDATE oversight.access_log SET actor_id = 'someone-else'", "DELETE FROM oversight.access_log", "TRUNCATE oversight.access_log" })
            {
                await using var command = new NpgsqlCommand(sql, connection);
                var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
                Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
            }
        }

        await using var restarted = new ApiFactory { Database = Api.Database, OwnsDatabase = false };
        await restarted.InitializeAsync();
        using var admin = restarted.As(Roles.Admin);
        var entries = (await (await admin.GetAsync($"/api/v1/admin/access-log?actor={reader}")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entries");
        Assert.Equal(1, entries.GetArrayLength());
    }
}
