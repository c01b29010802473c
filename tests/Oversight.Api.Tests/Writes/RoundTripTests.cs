using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Oversight.Api.Tests.Support;
using Oversight.Security;

namespace Oversight.Api.Tests.Writes;

/// <summary>
/// The statements one write sends to PostgreSQL, counted from Npgsql's spans under the request's server span: each span is a
/// round trip (a batch is one). What the guarantees need: the load (with the idempotency lookup), and the batched write with its commit.
/// </summary>
public sealed class RoundTripTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Recording_a_finding_takes_the_round_trips_its_guarantees_need()
    {
        await using var api = new ApiFactory();
        await api.InitializeAsync();
        var inspection = await api.ScheduleInspectionAsync(await api.RegisterSupervisingOrganizationAsync());

        var statements = await StatementsOfAsync(api, $"/api/v1/inspections/{inspection}/findings", "/api/v1/inspections/{id:guid}/findings",
            TestData.Finding("RecordKeeping"));
        // 1: the idempotency lookup and the inspection's stream (one batch, opening the transaction); 2: Marten's batch (events,
        // chain, outbox, the idempotency record), whose last statement commits: a separate commit would have no span of its own.
        Assert.Equal(2, statements.Count);
        Assert.EndsWith("COMMIT", Query(statements[1]).TrimEnd(' ', ';'), StringComparison.Ordinal);
        // This node scheduled the inspection, so it remembers the folded state: the load reads only the head's version and hash
        // (StreamHeadProbe), not the events' payloads and headers.
        Assert.Contains("headers ->> 'chain'", Query(statements[0]), StringComparison.Ordinal);
        Assert.DoesNotContain("mt_dotnet_type", Query(statements[0]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_that_starts_a_stream_commits_in_its_batch_too()
    {
        await using var api = new ApiFactory();
        await api.InitializeAsync();
        var organization = await api.RegisterSupervisingOrganizationAsync();

        // The inspection's new stream, after reads of the stream it names: the commit still ends the write's batch.
        var statements = await StatementsOfAsync(api, "/api/v1/inspections", "/api/v1/inspections/",
            new { organizationId = organization, kind = "Regular", scheduledOn = "2023-06-01", leadInspector = "inspector-7" });
        Assert.Single(statements, s => Query(s).Contains("COMMIT", StringComparison.Ordinal));
        Assert.EndsWith("COMMIT", Query(statements[^1]).TrimEnd(' ', ';'), StringComparison.Ordinal);
    }

    /// <summary>Npgsql's spans of one keyed POST by an inspector to <paramref name="route"/> (answered 201), in the order they started.</summary>
    private async Task<List<Activity>> StatementsOfAsync(ApiFactory api, string path, string route, object body)
    {
        using var inspector = api.As(Roles.Inspector);
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        // The listener hears every test running in this process: the request carries a trace of its own to be told apart.
        var trace = ActivityTraceId.CreateRandom();
        await (await inspector.PostJsonAsync(path, body, Guid.NewGuid().ToString(), traceparent: $"00-{trace}-{ActivitySpanId.CreateRandom()}-01"))
            .Expect(HttpStatusCode.Created);

        Activity? server = null;
        for (var waited = Stopwatch.StartNew(); server is null && waited.Elapsed < TimeSpan.FromSeconds(10); await Task.Delay(20)) // stopped just after the response
            server = spans.SingleOrDefault(s => s.Kind == ActivityKind.Server && s.TraceId == trace);
        Assert.NotNull(server);
        Assert.Equal($"POST {route}", server.DisplayName);
        var statements = spans.Where(s => s.Source.Name == "Npgsql" && s.TraceId == trace).OrderBy(s => s.StartTimeUtc).ToList();
        foreach (var s in statements) output.WriteLine($"{s.Duration.TotalMilliseconds,7:F2} ms  {s.DisplayName}  {Text(s)}");
        Assert.NotEmpty(statements);
        return statements;
    }

    private static string Query(Activity span) => (span.GetTagItem("db.query.text") ?? span.GetTagItem("db.statement")) as string ?? "";

    private static string Text(Activity span) => Query(span).ReplaceLineEndings(" ") is var t && t.Length > 160 ? t[..160] : t;
}
