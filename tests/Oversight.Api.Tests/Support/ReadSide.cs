using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Oversight.ReadModels.Storage;


namespace Oversight.Api.Tests.Support;

/// <summary>Helpers for the read-side tests: a host on a manual clock, writes that return their position, reads that wait for it, CSV.</summary>
internal static class ReadSide
{
    /// <summary>After every business date the read-side tests record (deadline checks are off unless a test runs them).</summary>
    public static readonly DateTimeOffset Start = ApiFactory.DefaultToday;

    public static ApiFactory NewApi(DateTimeOffset? start = null, bool runDeadlines = false) =>
        new() { Clock = new ManualClock(start ?? Start), RunDeadlines = runDeadlines };

    /// <summary>A started host on a manual clock, disposed by the caller.</summary>
    public static async Task<ApiFactory> StartAsync(DateTimeOffset? start = null, bool runDeadlines = false)
    {
        var api = NewApi(start, runDeadlines);
        await api.InitializeAsync();
        return api;
    }

    /// <summary>POSTs with the role's token (subject <paramref name="subject"/>), asserts 200/201 and returns the body (with id/position).</summary>
    public static async Task<JsonElement> WriteAsync(this ApiFactory api, string role, string path, object body, string subject = "tester",
        string? correlationId = null)
    {
        using var client = api.As(role, subject);
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json"),
        };
        if (correlationId is not null) request.Headers.Add("X-Correlation-Id", correlationId);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created, $"POST {path}: {(int)response.StatusCode} {text} {api.Errors.Last}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The store's last global position (what a read waits for after a series of writes).</summary>
    public static async Task<long> HeadAsync(this ApiFactory api)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT coalesce(max(seq_id), 0) FROM oversight.mt_events", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>How far a projection has applied the event log (Marten's daemon records it with the read model's rows).</summary>
    public static Task<long> ProgressAsync(this ApiFactory api, string projection) =>
        ProgressionAsync(api, api.Services.GetRequiredService<ReadModelCatalog>().ProgressionName(projection));

    /// <summary>The position of one progression row (<c>risk:All</c>, <c>risk:V2:All</c>…).</summary>
    public static async Task<long> ProgressionAsync(this ApiFactory api, string progressionName)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT coalesce(max(last_seq_id), 0) FROM oversight.mt_event_progression WHERE name = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = progressionName });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Waits until the follow-up work the business clock has made due is done and every projection has applied it: no due
    /// deadline left, no message waiting in Wolverine's inbox, each projection at the head — twice in a row. Returns the head.
    /// </summary>
    public static async Task<long> SettledAsync(this ApiFactory api)
    {
        var stable = 0;
        long head = -1;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (stable < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "follow-up work did not settle within 60 s");
            await Task.Delay(200);
            await using var connection = new NpgsqlConnection(api.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                """
                SELECT (SELECT count(*) FROM oversight.followup_deadlines WHERE $2 AND due_at <= $1)
                     + (SELECT count(*) FROM oversight.wolverine_incoming_envelopes WHERE status <> 'Handled'),
                       (SELECT coalesce(max(seq_id), 0) FROM oversight.mt_events),
                       (SELECT coalesce(min(last_seq_id), 0) FROM oversight.mt_event_progression WHERE name LIKE '%:All')
                """, connection);
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = api.Clock.GetUtcNow() });
            command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = api.RunDeadlines }); // due deadlines wait for a node that claims them
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            var (pending, now, applied) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            stable = pending == 0 && applied >= now && now == head ? stable + 1 : 0;
            head = now;
        }
        return head;
    }

    /// <summary>GET as <paramref name="role"/>; asserts 200 and returns the parsed JSON.</summary>
    public static async Task<JsonElement> GetJsonAsync(this ApiFactory api, string role, string path)
    {
        using var client = api.As(role);
        var response = await client.GetAsync(path);
        return await response.Expect(HttpStatusCode.OK);
    }

    /// <summary>GET as <paramref name="role"/>, optionally with <c>Accept: text/csv</c>; asserts 200 text/csv and returns the raw text.</summary>
    public static async Task<string> GetCsvAsync(this ApiFactory api, string role, string path, bool viaAccept)
    {
        using var client = api.As(role);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (viaAccept) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        return text;
    }

    /// <summary>Polls (bounded) until <paramref name="done"/> holds for the value read; fails with the last value seen.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null, string? what = null,
        Func<Task<string>>? diagnose = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Timed out waiting for {what ?? "a condition"}; last value: {value}\n{(diagnose is null ? "" : await diagnose())}");
            await Task.Delay(100);
        }
    }

    /// <summary>What the runtime holds (outbox, dead letters) and what the host logged: for the message of a timed-out wait.</summary>
    public static async Task<string> DiagnoseAsync(this ApiFactory api)
    {
        var text = new StringBuilder();
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_name LIKE '%outbox%' OR table_name LIKE '%dead%' OR table_name LIKE '%handled%'",
            connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        foreach (var table in tables)
        {
            await using var command = new NpgsqlCommand($"SELECT t::text FROM {table} t LIMIT 20", connection);
            await using var reader = await command.ExecuteReaderAsync();
            text.AppendLine(CultureInfo.InvariantCulture, $"{table}:");
            while (await reader.ReadAsync()) text.AppendLine(reader.GetString(0));
        }
        await using (var activity = new NpgsqlCommand(
            "SELECT pid || ' ' || coalesce(state, '') || ' ' || coalesce(wait_event_type, '') || '/' || coalesce(wait_event, '') || ' ' || left(query, 300) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
            connection))
        await using (var reader = await activity.ExecuteReaderAsync())
            while (await reader.ReadAsync()) text.AppendLine(reader.GetString(0));
        text.AppendLine(CultureInfo.InvariantCulture, $"clock: {api.Clock.GetUtcNow():O}; errors: {string.Join("\n", api.Errors.Entries)}");
        return text.ToString();
    }

    /// <summary>A JSON scalar as the invariant text CSV output would carry (null → empty).</summary>
    public static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.TryGetInt64(out var l) ? l.ToString(CultureInfo.InvariantCulture) : value.GetDouble().ToString(CultureInfo.InvariantCulture),
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        _ => value.GetRawText(),
    };

    /// <summary>Rows of a JSON array of objects as header + string rows, columns in the order of <paramref name="header"/>.</summary>
    public static List<string[]> AsTable(JsonElement rows, IReadOnlyList<string> header) =>
        [.. rows.EnumerateArray().Select(row => header.Select(h => row.TryGetProperty(h, out var v) ? Text(v) : "").ToArray())];
}

/// <summary>A strict RFC 4180 reader: CRLF or LF record ends, quoted fields with doubled quotes, equal field counts; anything else fails.</summary>
internal static class Csv
{
    public static List<string[]> Parse(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        if (text.Length > 0 && text[0] == '\uFEFF') i = 1;
        var atFieldStart = true;
        while (i < text.Length)
        {
            var c = text[i];
            if (atFieldStart && c == '"')
            {
                i++;
                while (true)
                {
                    if (i >= text.Length) throw new FormatException("Unterminated quoted field.");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.Append(text[i++]);
                }
                if (i < text.Length && text[i] is not (',' or '\r' or '\n')) throw new FormatException($"Text after a closing quote at {i}.");
                atFieldStart = false;
                continue;
            }
            switch (c)
            {
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    atFieldStart = true;
                    i++;
                    break;
                case '\r' or '\n':
                    if (c == '\r')
                    {
                        if (i + 1 >= text.Length || text[i + 1] != '\n') throw new FormatException($"Bare CR at {i}.");
                        i++;
                    }
                    i++;
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add([.. fields]);
                    fields.Clear();
                    atFieldStart = true;
                    break;
                case '"':
                    throw new FormatException($"Quote inside an unquoted field at {i}.");
                default:
                    field.Append(c);
                    atFieldStart = false;
                    i++;
                    break;
            }
        }
        if (fields.Count > 0 || field.Length > 0 || !atFieldStart)
        {
            fields.Add(field.ToString());
            records.Add([.. fields]);
        }
        if (records.Count > 0 && records.Any(r => r.Length != records[0].Length)) throw new FormatException("Records differ in their number of fields.");
        return records;
    }
}

